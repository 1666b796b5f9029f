namespace RescueKit.Net;

internal enum ServedFileStatus { Opened, Missing, Refused }

/// <summary>What <see cref="ServedTree.Open"/> found: an open file (the caller disposes it), or why there is none.</summary>
internal sealed record ServedFile(ServedFileStatus Status, FileStream? Stream, string? RealPath, long Length, DateTime LastWriteUtc)
{
    public static readonly ServedFile Missing = new(ServedFileStatus.Missing, null, null, 0, default);
    public static readonly ServedFile Refused = new(ServedFileStatus.Refused, null, null, 0, default);
}
