namespace Signet.Sigstore;

/// <summary>
/// The outcome of one trust check (certificate chain, SCT, identity, timestamp): success, or a failure with a stable
/// code and a reason a person can act on. Failures are data; checks do not throw for untrusted input.
/// </summary>
public readonly record struct CheckResult
{
    private CheckResult(string? code, string? reason)
    {
        Code = code;
        Reason = reason;
    }

    public static CheckResult Success { get; }

    /// <summary>The stable code of a failure; null on success.</summary>
    public string? Code { get; }

    /// <summary>Why the check failed; null on success.</summary>
    public string? Reason { get; }

    public bool IsValid => Code is null;

    public static CheckResult Fail(string code, string reason) => new(code, reason);

    public override string ToString() => IsValid ? "valid" : $"{Code}: {Reason}";
}
