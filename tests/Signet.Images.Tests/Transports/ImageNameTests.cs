using Signet.Images.Transports;

namespace Signet.Images.Tests.Transports;

public sealed class ImageNameTests
{
    public static TheoryData<string, TransportKind, string?, string?> Layouts => new()
    {
        { "oci:/srv/layout", TransportKind.OciLayout, "/srv/layout", null },
        { "oci:/srv/layout:v1", TransportKind.OciLayout, "/srv/layout", "v1" },
        { "oci:relative/dir:1.0.0-rc.1", TransportKind.OciLayout, "relative/dir", "1.0.0-rc.1" },
        { "oci:layout:sha256:afb744871f99e0ff8e6f253244836ed34c5d805fdb096d3a205ffaf5e9073cab", TransportKind.OciLayout, "layout", "sha256:afb744871f99e0ff8e6f253244836ed34c5d805fdb096d3a205ffaf5e9073cab" },
        { "oci-archive:/tmp/image.tar", TransportKind.OciArchive, "/tmp/image.tar", null },
        { "oci-archive:/tmp/image.tar:latest", TransportKind.OciArchive, "/tmp/image.tar", "latest" },
        { "docker-archive:/tmp/save.tar", TransportKind.DockerArchive, "/tmp/save.tar", null },
        { "docker-archive:/tmp/save.tar:alpine:3.20", TransportKind.DockerArchive, "/tmp/save.tar", "alpine:3.20" },
        { "docker-archive:/tmp/save.tar:registry.example:5000/team/app:v1.2", TransportKind.DockerArchive, "/tmp/save.tar", "registry.example:5000/team/app:v1.2" },
        { "docker-archive:/tmp/save.tar:localhost:5000/app", TransportKind.DockerArchive, "/tmp/save.tar", "localhost:5000/app" },
        { "docker-archive:/tmp/save.tar:@0", TransportKind.DockerArchive, "/tmp/save.tar", "@0" },
        { "docker-archive:/tmp/save.tar:@12", TransportKind.DockerArchive, "/tmp/save.tar", "@12" },
        { "docker-archive:/tmp/save.tar@1", TransportKind.DockerArchive, "/tmp/save.tar", "@1" },
        { "docker-archive:/tmp/user@example/save.tar", TransportKind.DockerArchive, "/tmp/user@example/save.tar", null },
        { "docker-archive:/tmp/save@v2.tar", TransportKind.DockerArchive, "/tmp/save@v2.tar", null },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Parse_FileTransport_SplitsPathAndTag(string value, TransportKind transport, string? path, string? tag)
    {
        var name = ImageName.Parse(value);

        Assert.Equal(transport, name.Transport);
        Assert.Equal(path, name.Path);
        Assert.Equal(tag, name.Tag);
        Assert.Null(name.Reference);
        Assert.Equal(value, name.Original);
        Assert.Equal(value, name.ToString());
    }

    [Theory]
    [InlineData("docker://alpine:3.20", "docker.io", "library/alpine", "3.20")]
    [InlineData("docker://ghcr.io/org/app:v1", "ghcr.io", "org/app", "v1")]
    [InlineData("alpine", "docker.io", "library/alpine", null)]
    [InlineData("alpine:3.20", "docker.io", "library/alpine", "3.20")]
    [InlineData("localhost:5000/app", "localhost:5000", "app", null)]
    [InlineData("127.0.0.1:5000/team/app:v1", "127.0.0.1:5000", "team/app", "v1")]
    [InlineData("docker:dind", "docker.io", "library/docker", "dind")]
    public void Parse_RegistryReference_ParsesReference(string value, string registry, string repository, string? tag)
    {
        var name = ImageName.Parse(value);

        Assert.Equal(TransportKind.Registry, name.Transport);
        Assert.NotNull(name.Reference);
        Assert.Equal(registry, name.Reference.Value.Registry);
        Assert.Equal(repository, name.Reference.Value.Repository);
        Assert.Equal(tag, name.Reference.Value.Tag);
        Assert.Null(name.Path);
    }

    [Fact]
    public void Parse_RegistryReferenceWithDigest_KeepsDigest()
    {
        const string Digest = "sha256:afb744871f99e0ff8e6f253244836ed34c5d805fdb096d3a205ffaf5e9073cab";

        var name = ImageName.Parse($"localhost:5000/app@{Digest}");

        Assert.Equal(Digest, name.Reference!.Value.Digest.ToString());
    }

    [Theory]
    [InlineData("dir:/tmp/x", "transport 'dir:' is not supported")]
    [InlineData("docker-daemon:alpine:latest", "transport 'docker-daemon:' is not supported")]
    [InlineData("containers-storage:alpine", "transport 'containers-storage:' is not supported")]
    [InlineData("ostree:app@/ostree/repo", "transport 'ostree:' is not supported")]
    [InlineData("sif:/tmp/a.sif", "transport 'sif:' is not supported")]
    [InlineData("tarball:/tmp/a.tar", "transport 'tarball:' is not supported")]
    [InlineData("atomic:host/app:v1", "transport 'atomic:' is not supported")]
    public void Parse_UnsupportedTransport_RefusesNamingSupportedOnes(string value, string expected)
    {
        var e = Assert.Throws<FormatException>(() => ImageName.Parse(value));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("oci:, oci-archive:, docker-archive: or docker://", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "image name is empty")]
    [InlineData("oci:", "names no path")]
    [InlineData("oci::v1", "names no path")]
    [InlineData("oci-archive:", "names no path")]
    [InlineData("docker-archive:", "names no path")]
    [InlineData("oci:/srv/layout:", "names no tag")]
    [InlineData("docker-archive:/tmp/a.tar:", "names no tag")]
    [InlineData("docker-archive:/tmp/a.tar:@", "is not an image position")]
    [InlineData("docker-archive:/tmp/a.tar:@x", "is not an image position")]
    [InlineData("docker-archive:/tmp/a.tar:@-1", "is not an image position")]
    [InlineData("docker-archive:/tmp/a.tar:Upper/Case:v1", "is not a valid image reference")]
    [InlineData("docker-archive:/tmp/a.tar:app@sha256:afb744871f99e0ff8e6f253244836ed34c5d805fdb096d3a205ffaf5e9073cab", "must not name a digest")]
    [InlineData("docker://", "is not a valid image reference")]
    [InlineData("docker://app/UPPER", "is not a valid image reference")]
    [InlineData("not a reference", "is not a valid image reference")]
    public void Parse_Malformed_ThrowsFormatExceptionNamingTheProblem(string value, string expected)
    {
        var e = Assert.Throws<FormatException>(() => ImageName.Parse(value));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        if (value.Length > 0)
        {
            Assert.Contains(value, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => ImageName.Parse(null!));
    }
}
