using System.Collections.Immutable;
using System.Net;

namespace Signet.Registry;

/// <summary>One entry of a registry's error response body (distribution spec "Error Codes").</summary>
public sealed record RegistryError(string Code, string Message, string? Detail);

/// <summary>A registry answered a request with an error. Carries method, URL, status and the registry's own errors.</summary>
public class RegistryException : HttpRequestException
{
    public RegistryException(string method, Uri url, HttpStatusCode? status, ImmutableArray<RegistryError> errors, string advice)
        : base(Format(method, url, status, errors, advice), inner: null, status)
    {
        Method = method;
        Url = url;
        Errors = errors;
    }

    public RegistryException()
    {
        Method = string.Empty;
        Url = new Uri("about:blank");
    }

    public RegistryException(string message)
        : base(message)
    {
        Method = string.Empty;
        Url = new Uri("about:blank");
    }

    public RegistryException(string message, Exception innerException)
        : base(message, innerException)
    {
        Method = string.Empty;
        Url = new Uri("about:blank");
    }

    public string Method { get; }

    public Uri Url { get; }

    public ImmutableArray<RegistryError> Errors { get; } = [];

    private static string Format(string method, Uri url, HttpStatusCode? status, ImmutableArray<RegistryError> errors, string advice)
    {
        var text = $"{method} {Redact(url)} failed: HTTP {(int?)status} {status}";
        if (!errors.IsDefaultOrEmpty)
        {
            text += "; registry says: " + string.Join("; ", errors.Select(e => e.Detail is null ? $"{e.Code}: {e.Message}" : $"{e.Code}: {e.Message} ({e.Detail})"));
        }

        return advice.Length == 0 ? text : $"{text}. {advice}";
    }

    /// <summary>The URL without its query (upload locations carry state tokens in the query).</summary>
    internal static string Redact(Uri url) => url.IsAbsoluteUri ? url.GetLeftPart(UriPartial.Path) : url.ToString();
}
