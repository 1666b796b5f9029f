using System.Text;

namespace RescueKit.Formats.Tar;

/// <summary>
/// The data stream given to <see cref="PaxWriter.WriteEntry"/> held fewer or more bytes than the entry declared (a
/// file that shrank or grew while it was archived). The member was still completed — zero-padded when short, cut at
/// the declared size when long — so the archive stays readable and the writer usable; only this member's data is wrong.
/// </summary>
internal sealed class TarDataLengthException : IOException
{
    public TarDataLengthException(byte[] path, long expected, bool grew, long actual)
        : base(grew
            ? $"tar member '{Encoding.UTF8.GetString(path)}': the data stream has more than the {expected} bytes declared; the member was cut at {expected}."
            : $"tar member '{Encoding.UTF8.GetString(path)}': the data stream ended after {actual} of the {expected} bytes declared; the member was padded with zeros.")
    {
        Path = path;
        Expected = expected;
        Grew = grew;
        Actual = actual;
    }

    public byte[] Path { get; }

    /// <summary>The byte count the entry declared (its size, or for a sparse file the sum of its segments).</summary>
    public long Expected { get; }

    /// <summary>True when the stream had more bytes than declared, false when it ended early.</summary>
    public bool Grew { get; }

    /// <summary>The bytes the stream gave when it ended early; <see cref="Expected"/> when it grew.</summary>
    public long Actual { get; }
}
