package tcpestats.config;

/** A configuration error; the message names file, line and what is expected. */
public class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
