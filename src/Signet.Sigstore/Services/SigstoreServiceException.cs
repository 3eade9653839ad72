namespace Signet.Sigstore.Services;

/// <summary>
/// A Sigstore service (Fulcio, Rekor, a timestamp authority) could not be reached, refused the request, or answered with
/// something that is not what the protocol promises. The message names the service, its URL and the HTTP status.
/// </summary>
public class SigstoreServiceException : IOException
{
    public SigstoreServiceException()
    {
    }

    public SigstoreServiceException(string message)
        : base(message)
    {
    }

    public SigstoreServiceException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public SigstoreServiceException(string message, Uri url, int? statusCode, Exception? innerException = null)
        : base(message, innerException)
    {
        Url = url;
        StatusCode = statusCode;
    }

    /// <summary>The URL that was called.</summary>
    public Uri? Url { get; }

    /// <summary>The HTTP status the service answered with; null when there was no answer.</summary>
    public int? StatusCode { get; }
}
