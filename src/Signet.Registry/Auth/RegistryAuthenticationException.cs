using System.Net;

namespace Signet.Registry.Auth;

/// <summary>
/// Authentication to a registry or its token server failed: no credentials for a registry that requires them,
/// credentials or a token refused, a token server error, or a refusal to send credentials over plain HTTP.
/// </summary>
public sealed class RegistryAuthenticationException : Exception
{
    public RegistryAuthenticationException()
    {
    }

    public RegistryAuthenticationException(string message)
        : base(message)
    {
    }

    public RegistryAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal RegistryAuthenticationException(string message, HttpMethod? method, Uri? requestUri, HttpStatusCode? statusCode, Exception? innerException = null)
        : base(message, innerException)
    {
        Method = method;
        RequestUri = requestUri;
        StatusCode = statusCode;
    }

    /// <summary>The method of the request that failed (the registry request or the token request).</summary>
    public HttpMethod? Method { get; }

    /// <summary>The URL that failed (without credentials).</summary>
    public Uri? RequestUri { get; }

    /// <summary>The HTTP status the registry or token server answered, when it answered.</summary>
    public HttpStatusCode? StatusCode { get; }
}
