namespace Signet.Crypto;

/// <summary>
/// Signing algorithms Signet supports, each with the hash cosign and sigstore use for it: ECDSA P-256/SHA-256,
/// P-384/SHA-384, P-521/SHA-512 (ASN.1 DER signatures), RSA PKCS#1 v1.5 with SHA-256, and pure Ed25519.
/// </summary>
public enum KeyAlgorithm
{
    EcdsaP256,
    EcdsaP384,
    EcdsaP521,
    Rsa2048,
    Rsa3072,
    Rsa4096,
    Ed25519,
}
