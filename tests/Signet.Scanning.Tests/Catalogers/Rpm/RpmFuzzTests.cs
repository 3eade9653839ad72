using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using Signet.Scanning.Catalogers.Rpm;

namespace Signet.Scanning.Tests.Catalogers.Rpm;

/// <summary>
/// Random truncations and byte mutations of real header blobs and database files: every outcome is either packages or
/// an <see cref="RpmDatabaseFormatException"/>; any other exception (an out-of-range read, an overflow) fails the test.
/// </summary>
public sealed class RpmFuzzTests
{
    /// <summary>Mutations biased to the first <paramref name="hot"/> bytes (headers, index, slots) but reaching anywhere.</summary>
    private static Gen<byte[]> Mutated(byte[] original, int hot) => ByteMutations.Mutated(original, 0, hot);

    private static bool RefusedOrRead(Func<IReadOnlyList<RpmPackage>> read)
    {
        try
        {
            return read().All(p => p.Name is not null);
        }
        catch (RpmDatabaseFormatException exception)
        {
            return exception.Message.Length > 0;
        }
    }

    [Fact]
    public void ParseHeader_MutatedRealBlob_ReadsOrRefuses()
    {
        using var file = File.OpenRead(RpmDatabaseTests.NdbPath);
        var blob = NdbReader.ReadBlobs(file, "sle15").First();
        var index = 8 + (16 * BinaryPrimitives.ReadInt32BigEndian(blob));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000), Prop.ForAll(Mutated(blob, index).ToArbitrary(), mutated =>
            RefusedOrRead(() => [RpmHeader.Parse(mutated, "fuzz")])));
    }

    [Fact]
    public void ReadNdb_MutatedRealFile_ReadsOrRefuses()
    {
        var file = File.ReadAllBytes(RpmDatabaseTests.NdbPath);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Mutated(file, 4096).ToArbitrary(), mutated =>
            RefusedOrRead(() => RpmDatabase.ReadPackages(new MemoryStream(mutated), RpmDatabaseFormat.Ndb, "fuzz"))));
    }

    [Fact]
    public void ReadBerkeleyDb_MutatedRealFile_ReadsOrRefuses()
    {
        // Hot bytes: the metadata page, both hash pages and the first overflow page.
        var file = File.ReadAllBytes(RpmDatabaseTests.BerkeleyDbPath);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(Mutated(file, 4 * 4096).ToArbitrary(), mutated =>
            RefusedOrRead(() => RpmDatabase.ReadPackages(new MemoryStream(mutated), RpmDatabaseFormat.BerkeleyDb, "fuzz"))));
    }

    [Fact]
    public void ReadSqlite_MutatedRealFile_ReadsOrRefuses()
    {
        var file = File.ReadAllBytes(RpmDatabaseTests.SqlitePath);
        var directory = Directory.CreateTempSubdirectory("signet-rpmdb-");
        try
        {
            var path = Path.Combine(directory.FullName, "rpmdb.sqlite");
            Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), Prop.ForAll(Mutated(file, 4096).ToArbitrary(), mutated =>
            {
                File.WriteAllBytes(path, mutated);
                return RefusedOrRead(() => RpmDatabase.ReadPackages(path, RpmDatabaseFormat.Sqlite));
            }));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
