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
    /// <summary>Every package blob in <c>hnum</c> order.</summary>
    public static List<byte[]> ReadBlobs(string path)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = "file:" + string.Join('/', Path.GetFullPath(path).Split('/').Select(Uri.EscapeDataString)) + "?immutable=1",
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString();
        try
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT blob FROM Packages ORDER BY hnum";
            using var reader = command.ExecuteReader();
            var blobs = new List<byte[]>();
            while (reader.Read())
            {
                if (reader.IsDBNull(0) || reader.GetFieldType(0) != typeof(byte[]))
                {
                    throw Fail(path, $"row {blobs.Count} of table Packages has no blob");
                }

                blobs.Add((byte[])reader.GetValue(0));
            }

            return blobs;
        }
        catch (SqliteException exception)
        {
            throw new RpmDatabaseFormatException(
                $"rpm SQLite database {path}: SQLite refused it ({exception.Message.TrimEnd('.')}). The file is corrupt or not an rpm rpmdb.sqlite with a Packages table; report the image as unreadable.",
                exception);
        }
    }

    private static RpmDatabaseFormatException Fail(string source, string check) =>
        new($"rpm SQLite database {source}: {check}. The file is corrupt or not an rpm rpmdb.sqlite; report the image as unreadable.");
}
