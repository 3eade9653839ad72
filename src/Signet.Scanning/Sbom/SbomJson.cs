using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Signet.Scanning.Sbom;

/// <summary>
/// Streams a document twice: once into a SHA-256 to derive its content identifier (CycloneDX serialNumber, SPDX
/// documentNamespace), then into the output with that identifier. No document tree is built.
/// </summary>
internal static class SbomJson
{
    public static void WriteIdentified(Stream output, SbomOptions options, Action<Utf8JsonWriter, string> write)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        using var hash = new HashingStream();
        using (var writer = Create(hash, options))
        {
            write(writer, string.Empty);
        }

        var identifier = SbomModel.UuidFromHash(hash.Finish());
        using (var writer = Create(output, options))
        {
            write(writer, identifier);
        }

        if (options.Indented)
        {
            output.WriteByte((byte)'\n');
        }

        output.Flush();
    }

    public static void WriteStringIfPresent(this Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }

    private static Utf8JsonWriter Create(Stream stream, SbomOptions options) => new(stream, new JsonWriterOptions
    {
        Indented = options.Indented,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>A write-only stream that only hashes what is written.</summary>
    private sealed class HashingStream : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public byte[] Finish() => _hash.GetHashAndReset();

        public override void Write(byte[] buffer, int offset, int count) => _hash.AppendData(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => _hash.AppendData(buffer);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
