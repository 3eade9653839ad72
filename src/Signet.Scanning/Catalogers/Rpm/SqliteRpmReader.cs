using Microsoft.Data.Sqlite;

namespace Signet.Scanning.Catalogers.Rpm;

/// <summary>
/// Reads the package blobs of rpm's SQLite backend (<c>rpmdb.sqlite</c>): table <c>Packages(hnum, blob)</c>, one header
/// blob per row (rpm's lib/backend/sqlite.c). The file is opened read-only as an immutable URI, so SQLite neither locks
/// it nor creates <c>-wal</c>/<c>-shm</c> files beside it (rpm's databases use WAL mode); a <c>-wal</c> file left in the
/// image is therefore not replayed.
/// </summary>
internal static class SqliteRpmReader
{
    /// <summary>Every package blob in <c>hnum</c> order, one row at a time; <paramref name="source"/> names the database in errors (default: the path).</summary>
    public static IEnumerable<byte[]> ReadBlobs(string path, string? source = null)
    {
        var name = source ?? path;
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = "file:" + string.Join('/', Path.GetFullPath(path).Split('/').Select(Uri.EscapeDataString)) + "?immutable=1",
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString();
        using var connection = new SqliteConnection(connectionString);
        Guard(name, connection.Open);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT blob FROM Packages ORDER BY hnum";
        using var reader = Guard(name, command.ExecuteReader);
        for (var row = 0; Guard(name, reader.Read); row++)
        {
            yield return Guard(name, () => reader.IsDBNull(0) || reader.GetFieldType(0) != typeof(byte[])
                ? throw Fail(name, $"row {row} of table Packages has no blob")
                : (byte[])reader.GetValue(0));
        }
    }

    private static void Guard(string path, Action action) => Guard(path, () =>
    {
        action();
        return true;
    });

    private static T Guard<T>(string path, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (SqliteException exception)
        {
            throw new RpmDatabaseFormatException(
                RpmCodes.Sqlite,
                $"rpm SQLite database {path}: SQLite refused it ({exception.Message.TrimEnd('.')}). The file is corrupt or not an rpm rpmdb.sqlite with a Packages table; report the image as unreadable.",
                exception);
        }
    }

    private static RpmDatabaseFormatException Fail(string source, string check) =>
        new(RpmCodes.Sqlite, $"rpm SQLite database {source}: {check}. The file is corrupt or not an rpm rpmdb.sqlite; report the image as unreadable.");
}
