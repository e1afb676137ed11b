package atlas.web;

/**
 * A request the server answers with an HTTP error and a one-line JSON message ({@code {"error": "..."}}):
 * 400 for bad input, 404 for an unknown model or plane, 413 for an upload over the limit, 503 for a computation
 * cut off at the time limit.
 */
final class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() { return status; }

    static ApiException badRequest(String message) { return new ApiException(400, message); }

    static ApiException notFound(String message) { return new ApiException(404, message); }
}
