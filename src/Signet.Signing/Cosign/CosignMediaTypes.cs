namespace Signet.Signing.Cosign;

/// <summary>Media types and annotation keys of cosign's signature formats (cosign specs/SIGNATURE_SPEC.md, BUNDLE_SPEC.md).</summary>
public static class CosignMediaTypes
{
    /// <summary>A legacy signature layer: the simple-signing payload.</summary>
    public const string SimpleSigning = "application/vnd.dev.cosign.simplesigning.v1+json";

    /// <summary>A legacy attestation layer: a DSSE envelope.</summary>
    public const string DsseEnvelope = "application/vnd.dsse.envelope.v1+json";

    /// <summary>A Sigstore bundle stored as an OCI 1.1 referrer.</summary>
    public const string BundleV03 = "application/vnd.dev.sigstore.bundle.v0.3+json";

    public const string SignatureAnnotation = "dev.cosignproject.cosign/signature";
    public const string CertificateAnnotation = "dev.sigstore.cosign/certificate";
    public const string ChainAnnotation = "dev.sigstore.cosign/chain";
    public const string RekorBundleAnnotation = "dev.sigstore.cosign/bundle";
    public const string TimestampAnnotation = "dev.sigstore.cosign/rfc3161timestamp";
    public const string PredicateTypeAnnotation = "predicateType";

    public const string BundleContentAnnotation = "dev.sigstore.bundle.content";
    public const string BundlePredicateTypeAnnotation = "dev.sigstore.bundle.predicateType";

    /// <summary>The simple-signing <c>critical.type</c> of an image signature.</summary>
    public const string ImageSignatureType = "cosign container image signature";
}
