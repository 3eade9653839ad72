namespace Signet.Sigstore.Bundles;

/// <summary>One reason a bundle is unusable: a stable <see cref="BundleCodes">code</see> and a message naming the field and the fix.</summary>
public sealed record BundleProblem
{
    public required string Code { get; init; }

    public required string Message { get; init; }

    public override string ToString() => $"{Code}: {Message}";
}
