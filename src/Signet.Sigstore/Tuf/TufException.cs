namespace Signet.Sigstore.Tuf;

/// <summary>
/// TUF metadata that cannot be read, or a step of the client workflow that failed. <see cref="Code"/> is one of
/// <see cref="TufCodes"/>; the message names the role, the version and the check.
/// </summary>
public class TufException : Exception
{
    public TufException()
        : this("invalid TUF metadata")
    {
    }

    public TufException(string message)
        : base(message)
    {
    }

    public TufException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public TufException(string code, string message, Exception? innerException)
        : base($"{code}: {message}", innerException)
    {
        Code = code;
    }

    /// <summary>The stable code (<see cref="TufCodes"/>); <see cref="TufCodes.Malformed"/> unless another was given.</summary>
    public string Code { get; } = TufCodes.Malformed;
}
