import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The memory floor under the agent: a JVM that loads the classes named in a file (one per
 * line; none without a file) without initialising them, says "ready" and sleeps until killed.
 */
public class JvmFloor {
    public static void main(String[] args) throws Exception {
        int loaded = 0;
        int missing = 0;
        if (args.length > 0) {
            for (String name : Files.readAllLines(Path.of(args[0]))) {
                try {
                    Class.forName(name, false, JvmFloor.class.getClassLoader());
                    loaded++;
                } catch (ClassNotFoundException | LinkageError e) {
                    missing++;
                }
            }
        }
        System.out.println("ready " + loaded + " " + missing);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
