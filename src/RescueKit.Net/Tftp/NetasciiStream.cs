using RescueKit.Core.IO;

namespace RescueKit.Net.Tftp;

/// <summary>
/// Reads a file as RFC 1350 netascii (RFC 764's NVT ASCII): LF goes out as CR LF and a bare CR as CR NUL. The size
/// on the wire is not known before the end, so a netascii transfer answers no tsize.
/// </summary>
internal sealed class NetasciiStream(Stream inner) : SequentialReadStream
{
    private int _pending = -1; // the second byte of a pair that did not fit in the last read

    public override int Read(Span<byte> buffer)
    {
        var n = 0;
        if (_pending >= 0 && buffer.Length > 0)
        {
            buffer[n++] = (byte)_pending;
            _pending = -1;
        }
        Span<byte> one = stackalloc byte[1];
        while (n < buffer.Length)
        {
            if (inner.Read(one) == 0) break;
            var b = one[0];
            if (b is (byte)'\n' or (byte)'\r')
            {
                buffer[n++] = (byte)'\r';
                var second = b == '\n' ? (byte)'\n' : (byte)0;
                if (n < buffer.Length) buffer[n++] = second;
                else _pending = second;
            }
            else buffer[n++] = b;
        }
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
