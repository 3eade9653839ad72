namespace Signet.Crypto.Dsse;

/// <summary>Limits for reading an untrusted DSSE envelope.</summary>
public sealed record DsseParseOptions
{
    /// <summary>The default payload cap: 16 MiB of decoded payload.</summary>
    public const int DefaultMaxPayloadBytes = 16 * 1024 * 1024;

    /// <summary>The default signature count cap.</summary>
    public const int DefaultMaxSignatures = 32;

    public static DsseParseOptions Default { get; } = new();

    /// <summary>Largest decoded payload accepted.</summary>
    public int MaxPayloadBytes { get; init; } = DefaultMaxPayloadBytes;

    /// <summary>Most signatures accepted in one envelope.</summary>
    public int MaxSignatures { get; init; } = DefaultMaxSignatures;

    /// <summary>
    /// Treat an absent <c>payload</c>, <c>payloadType</c>, <c>signatures</c> or <c>sig</c> as empty, as the proto3 JSON
    /// mapping does (a Sigstore bundle's <c>dsseEnvelope</c> omits empty fields). DSSE's own JSON envelope requires them,
    /// so this is off by default.
    /// </summary>
    public bool AllowOmittedEmptyFields { get; init; }

    /// <summary>Largest envelope accepted: the base64 of the largest payload plus room for signatures and keys.</summary>
    public long MaxEnvelopeBytes => ((long)MaxPayloadBytes + 2) / 3 * 4 + (MaxSignatures * 16L * 1024) + 4096;

    internal void Validate()
    {
        if (MaxPayloadBytes <= 0 || MaxSignatures <= 0)
        {
            throw new ArgumentException($"DSSE limits must be positive (MaxPayloadBytes {MaxPayloadBytes}, MaxSignatures {MaxSignatures}); use DsseParseOptions.Default");
        }
    }
}
