namespace Signet.Scanning.Catalogers.Rpm;

/// <summary>The three containers rpm keeps its package headers in.</summary>
public enum RpmDatabaseFormat
{
    /// <summary>Berkeley DB hash <c>Packages</c> (rpm before 4.16; RHEL/CentOS 7-8, Amazon Linux 2).</summary>
    BerkeleyDb,

    /// <summary>NDB <c>Packages.db</c> (SUSE).</summary>
    Ndb,

    /// <summary>SQLite <c>rpmdb.sqlite</c> (rpm 4.16+: Fedora 33+, RHEL 9, CBL-Mariner).</summary>
    Sqlite,
}

/// <summary>
/// Reads the installed packages of an rpm database natively (no rpm binary, no libdb): the container gives the header
/// blobs, <see cref="RpmHeader"/> decodes each one. Malformed input raises <see cref="RpmDatabaseFormatException"/>.
/// </summary>
public static class RpmDatabase
{
    /// <summary>The container format rpm uses for a database file name, or null when the name is not one of them.</summary>
    public static RpmDatabaseFormat? FormatOf(string path) => Path.GetFileName(path) switch
    {
        "Packages" => RpmDatabaseFormat.BerkeleyDb,
        "Packages.db" => RpmDatabaseFormat.Ndb,
        "rpmdb.sqlite" => RpmDatabaseFormat.Sqlite,
        _ => null,
    };

    /// <summary>Reads every package of the database file at <paramref name="path"/> in the given format.</summary>
    public static IReadOnlyList<RpmPackage> ReadPackages(string path, RpmDatabaseFormat format)
    {
        if (format == RpmDatabaseFormat.Sqlite)
        {
            // SQLite would report a missing file as a database it cannot open; say what it is, as FileStream does.
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"rpm SQLite database {path} does not exist", path);
            }

            return Decode(SqliteRpmReader.ReadBlobs(path), path);
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.RandomAccess);
        return ReadPackages(file, format, path);
    }

    /// <summary>
    /// Reads every package of a Berkeley DB or NDB database from a seekable stream (left open), reading only the pages
    /// and blobs it needs; <paramref name="source"/> names the database in errors.
    /// </summary>
    public static IReadOnlyList<RpmPackage> ReadPackages(Stream file, RpmDatabaseFormat format, string source)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!file.CanSeek)
        {
            throw new ArgumentException("rpm databases are read by offset: pass a seekable stream", nameof(file));
        }

        return format switch
        {
            RpmDatabaseFormat.BerkeleyDb => Decode(BerkeleyDbHashReader.ReadValues(file, source), source),
            RpmDatabaseFormat.Ndb => Decode(NdbReader.ReadBlobs(file, source), source),
            _ => throw new ArgumentException("SQLite databases are read from a file path: call ReadPackages(path, format)", nameof(format)),
        };
    }

    private static List<RpmPackage> Decode(IEnumerable<byte[]> blobs, string source)
    {
        var packages = new List<RpmPackage>();
        foreach (var blob in blobs)
        {
            packages.Add(RpmHeader.Parse(blob, $"#{packages.Count} in {source}"));
        }

        return packages;
    }
}
