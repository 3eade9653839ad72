namespace Signet.Crypto.Dsse;

/// <summary>How an envelope is written: the two field orders producers that Signet must match use.</summary>
public enum DsseJsonLayout
{
    /// <summary>
    /// cosign's legacy <c>.att</c> layer (go-securesystemslib struct order):
    /// <c>{"payloadType":…,"payload":…,"signatures":[{"keyid":"…","sig":"…"}]}</c>, <c>keyid</c> always written.
    /// </summary>
    Cosign,

    /// <summary>
    /// The Sigstore bundle's <c>dsseEnvelope</c> (proto3 JSON of <c>io.intoto.Envelope</c>, field-number order):
    /// <c>{"payload":…,"payloadType":…,"signatures":[{"sig":"…","keyid":"…"}]}</c>, an empty <c>keyid</c> omitted as
    /// sigstore-go's protojson does.
    /// </summary>
    SigstoreBundle,
}
