using Signet.Oci;

namespace Signet.Signing.Cosign;

/// <summary>cosign's tag convention for signatures and attestations of a digest: <c>sha256-&lt;hex&gt;.sig</c> and <c>.att</c>.</summary>
public static class CosignTags
{
    public static string Signature(Digest digest) => $"{digest.Algorithm}-{digest.Encoded}.sig";

    public static string Attestation(Digest digest) => $"{digest.Algorithm}-{digest.Encoded}.att";
}
