using System.Runtime.InteropServices;
using Signet.Oci;

namespace Signet.Images;

/// <summary>Which manifests of an index an operation works on.</summary>
public sealed record PlatformSelection
{
    /// <summary>Every manifest of the index.</summary>
    public bool All { get; init; }

    /// <summary>The platform to pick; null picks the host's (linux/amd64 on this machine).</summary>
    public Platform? Platform { get; init; }

    public static PlatformSelection Host { get; } = new();

    public static PlatformSelection Every { get; } = new() { All = true };

    /// <summary>The platform of the machine Signet runs on, as an OCI platform (always linux for images).</summary>
    public static Platform HostPlatform { get; } = new()
    {
        Os = "linux",
        Architecture = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64",
            Architecture.Arm => "arm",
            Architecture.X86 => "386",
            Architecture.S390x => "s390x",
            Architecture.Ppc64le => "ppc64le",
            Architecture.RiscV64 => "riscv64",
            var other => other.ToString().ToLowerInvariant(),
        },
    };

    /// <summary>The index entries this selection takes, in index order. Throws when a wanted platform is absent.</summary>
    public IReadOnlyList<Descriptor> Select(ImageIndex index, string where)
    {
        ArgumentNullException.ThrowIfNull(index);
        var manifests = index.Manifests.Where(m => MediaTypes.IsManifest(m.MediaType)).ToList();
        if (All)
        {
            return manifests;
        }

        var wanted = Platform ?? HostPlatform;
        var match = manifests.FirstOrDefault(m => m.Platform?.Satisfies(wanted) == true);
        if (match is not null)
        {
            return [match];
        }

        var available = string.Join(", ", manifests.Select(m => m.Platform?.ToString() ?? "(no platform)").Distinct(StringComparer.Ordinal));
        throw new PlatformNotFoundException($"{where} (index {index.Digest}) has no manifest for {wanted}; available: {available}. Choose one with --platform or use --all-platforms");
    }
}

/// <summary>An index has no manifest for the platform asked for.</summary>
public sealed class PlatformNotFoundException : InvalidOperationException
{
    public PlatformNotFoundException()
    {
    }

    public PlatformNotFoundException(string message)
        : base(message)
    {
    }

    public PlatformNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
