namespace Signet.Signing;

/// <summary>How a signature or attestation is stored.</summary>
public enum SignatureFormat
{
    /// <summary>cosign v3: a Sigstore bundle v0.3 (DSSE over an in-toto Statement v1) pushed as an OCI 1.1 referrer.</summary>
    Bundle,

    /// <summary>cosign's tag-based format: layers of the <c>sha256-&lt;hex&gt;.sig</c> (or <c>.att</c>) manifest.</summary>
    Legacy,
}
