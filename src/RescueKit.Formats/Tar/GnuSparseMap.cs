using System.Text;

namespace RescueKit.Formats.Tar;

/// <summary>
/// The sparse map of GNU sparse format 1.0 (GNU tar manual, "Storing Sparse Files", PAX Format, Version 1.0): at the
/// start of the member data, decimal numbers each ended by a newline — the segment count, then each segment's offset
/// and length — padded with NULs to a whole 512-byte block; the segments' bytes follow.
/// </summary>
internal static class GnuSparseMap
{
    /// <summary>
    /// The map block(s) for <paramref name="segments"/>. When the data does not reach <paramref name="realSize"/> a
    /// zero-length segment at realSize is added, as GNU tar writes it: GNU tar's extractor sets the length of a file
    /// ending in a hole from that final segment, not from GNU.sparse.realsize.
    /// </summary>
    public static byte[] Encode(IReadOnlyList<SparseSegment> segments, long realSize)
    {
        var list = segments.ToList();
        if (list.Count == 0 || list[^1].Offset + list[^1].Length < realSize) list.Add(new SparseSegment(realSize, 0));
        var text = new StringBuilder();
        text.Append(list.Count).Append('\n');
        foreach (var s in list) text.Append(s.Offset).Append('\n').Append(s.Length).Append('\n');
        var bytes = Encoding.ASCII.GetBytes(text.ToString());
        Array.Resize(ref bytes, bytes.Length + UstarLayout.PaddingAfter(bytes.Length));
        return bytes;
    }

    /// <summary>Checks what a writer is given: segments in ascending order, not overlapping, inside the file.</summary>
    public static void Validate(IReadOnlyList<SparseSegment> segments, long realSize, string paramName)
    {
        long end = 0;
        foreach (var s in segments)
        {
            if (s.Offset < end || s.Length < 0 || s.Offset + s.Length > realSize)
                throw new ArgumentException(
                    $"Sparse segment ({s.Offset}, {s.Length}) is out of order, overlaps the previous one or lies past the file size {realSize}.",
                    paramName);
            end = s.Offset + s.Length;
        }
    }
}
