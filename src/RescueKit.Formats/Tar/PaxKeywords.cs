namespace RescueKit.Formats.Tar;

/// <summary>The pax extended header keywords this code writes or reads.</summary>
internal static class PaxKeywords
{
    // POSIX.1-2017 pax, "pax Extended Header Keywords".
    public const string Path = "path";
    public const string Linkpath = "linkpath";
    public const string Size = "size";
    public const string Uid = "uid";
    public const string Gid = "gid";
    public const string Uname = "uname";
    public const string Gname = "gname";
    public const string Mtime = "mtime";
    /// <summary>"hdrcharset=BINARY": path, linkpath, uname and gname values are raw bytes, not UTF-8.</summary>
    public const string Hdrcharset = "hdrcharset";
    public static ReadOnlySpan<byte> HdrcharsetBinary => "BINARY"u8;

    /// <summary>Extended attributes as Jörg Schilling's star defined them and GNU tar (--xattrs) and libarchive write
    /// them: SCHILY.xattr.NAME=raw value bytes.</summary>
    public const string SchilyXattrPrefix = "SCHILY.xattr.";
    /// <summary>libarchive also writes LIBARCHIVE.xattr.NAME=base64 (URL-encoded NAME); read when no SCHILY form exists.</summary>
    public const string LibarchiveXattrPrefix = "LIBARCHIVE.xattr.";
    /// <summary>POSIX.1e ACLs in text form (GNU tar --acls, libarchive, star).</summary>
    public const string SchilyAclAccess = "SCHILY.acl.access";
    public const string SchilyAclDefault = "SCHILY.acl.default";

    // GNU tar's sparse file formats in pax (GNU tar manual, "Storing Sparse Files"): 1.0 keeps the map in the data.
    public const string GnuSparseMajor = "GNU.sparse.major";
    public const string GnuSparseMinor = "GNU.sparse.minor";
    public const string GnuSparseName = "GNU.sparse.name";
    public const string GnuSparseRealsize = "GNU.sparse.realsize";
    /// <summary>Format 0.x spelling of the real size, and 0.1's map as "offset,size,offset,size...".</summary>
    public const string GnuSparseSize = "GNU.sparse.size";
    public const string GnuSparseMap = "GNU.sparse.map";
}
