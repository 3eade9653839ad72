using System.Text.Json;
using Signet.Crypto.InToto;
using Signet.Oci;

namespace Signet.Signing.Verification;

/// <summary>The claim checks on a verified in-toto statement (bundles and legacy attestations alike).</summary>
internal static class StatementClaims
{
    /// <summary>
    /// Null when the statement names the image and carries every required annotation on that subject; otherwise the
    /// failure code and message.
    /// </summary>
    public static (string Code, string Message)? Check(InTotoStatement statement, CheckContext context, bool signature)
    {
        if (signature && statement.PredicateType != PredicateTypes.CosignSign)
        {
            return (SignatureCodes.WrongType, $"the statement's predicateType is '{statement.PredicateType}', not the image signature type {PredicateTypes.CosignSign}");
        }

        var subject = statement.Subjects.FirstOrDefault(s => s.Matches(context.Image));
        if (subject is null)
        {
            var named = string.Join(", ", statement.Subjects.SelectMany(s => s.Digest.Select(d => $"{d.Key}:{d.Value}")).Take(4));
            return (SignatureCodes.DigestMismatch, $"the statement's subjects ({named}) do not include the image digest {context.Image}: it was signed for another image");
        }

        foreach (var (key, value) in context.Options.Annotations)
        {
            if (Annotation(subject.Annotations, key) != value)
            {
                return (SignatureCodes.AnnotationMismatch, $"the statement subject has no annotation {key}={value}");
            }
        }

        return null;
    }

    /// <summary>The first sha256 subject digest, for reports.</summary>
    public static Digest? FirstDigest(InTotoStatement statement) =>
        statement.Subjects.SelectMany(s => s.Digest).Where(d => d.Key == Digest.Sha256)
            .Select(d => Digest.TryParse($"{d.Key}:{d.Value}", out var parsed) ? parsed : (Digest?)null)
            .FirstOrDefault(d => d is not null);

    private static string? Annotation(ReadOnlyMemory<byte>? annotations, string key)
    {
        if (annotations is not { } json)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
