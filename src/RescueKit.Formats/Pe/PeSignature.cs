using System.Buffers.Binary;

namespace RescueKit.Formats.Pe;

/// <summary>
/// Whether a PE/COFF image (an EFI application, a Linux kernel with its EFI stub) carries an Authenticode signature:
/// its optional header's Certificate Table (data directory 4, Microsoft PE/COFF specification §3.4.3 "Optional Header
/// Data Directories" and §5.2 "The Attribute Certificate Table") holds a WIN_CERTIFICATE of type
/// WIN_CERT_TYPE_PKCS_SIGNED_DATA. It says nothing about who signed it: shim checks that against its keys at boot.
/// </summary>
public static class PeSignature
{
    private const ushort Pe32Magic = 0x10b;
    private const ushort Pe32PlusMagic = 0x20b;
    private const int CertificateTableIndex = 4;

    /// <summary>WIN_CERTIFICATE.wCertificateType of an Authenticode PKCS#7 SignedData blob.</summary>
    private const ushort WinCertTypePkcsSignedData = 0x0002;

    /// <summary>The number of Authenticode signatures in the image; 0 for an unsigned one.</summary>
    /// <exception cref="InvalidDataException">the stream is not a PE/COFF image, or its certificate table is outside it</exception>
    public static int Count(Stream image)
    {
        var length = image.Length;
        Span<byte> dos = stackalloc byte[64];
        if (length < dos.Length) throw new InvalidDataException("not a PE/COFF image: shorter than an MS-DOS header");
        ReadAt(image, 0, dos);
        if (dos[0] != (byte)'M' || dos[1] != (byte)'Z') throw new InvalidDataException("not a PE/COFF image: no MZ header");
        // e_lfanew (§2 "MS-DOS Stub"): the file offset of the "PE\0\0" signature.
        var peOffset = BinaryPrimitives.ReadUInt32LittleEndian(dos[0x3c..]);
        Span<byte> coff = stackalloc byte[24];
        if (peOffset + 24L > length) throw new InvalidDataException("not a PE/COFF image: e_lfanew points past the end");
        ReadAt(image, peOffset, coff);
        if (BinaryPrimitives.ReadUInt32LittleEndian(coff) != 0x00004550) throw new InvalidDataException("not a PE/COFF image: no PE signature");
        var optionalSize = BinaryPrimitives.ReadUInt16LittleEndian(coff[20..]);
        var optional = new byte[optionalSize];
        if (peOffset + 24L + optionalSize > length) throw new InvalidDataException("PE optional header runs past the end");
        ReadAt(image, peOffset + 24, optional);
        // The data directories follow the Windows-specific fields: at 96 in PE32, at 112 in PE32+ (§3.4).
        var magic = BinaryPrimitives.ReadUInt16LittleEndian(optional);
        var directories = magic switch
        {
            Pe32Magic => 96,
            Pe32PlusMagic => 112,
            _ => throw new InvalidDataException($"PE optional header magic 0x{magic:x} is neither PE32 nor PE32+"),
        };
        var count = BinaryPrimitives.ReadUInt32LittleEndian(optional.AsSpan(directories - 4));
        var entry = directories + CertificateTableIndex * 8;
        if (count <= CertificateTableIndex || entry + 8 > optional.Length) return 0;
        // Unlike the other directories, the certificate table's address is a file offset, not an RVA (§3.4.3).
        var tableOffset = BinaryPrimitives.ReadUInt32LittleEndian(optional.AsSpan(entry));
        var tableSize = BinaryPrimitives.ReadUInt32LittleEndian(optional.AsSpan(entry + 4));
        if (tableSize == 0) return 0;
        if (tableOffset + (long)tableSize > length) throw new InvalidDataException("the PE certificate table runs past the end of the image");

        // WIN_CERTIFICATE entries: dwLength, wRevision, wCertificateType, bCertificate; each aligned to 8 bytes (§5.2).
        var signatures = 0;
        Span<byte> header = stackalloc byte[8];
        for (long at = tableOffset, end = tableOffset + (long)tableSize; at + 8 <= end;)
        {
            ReadAt(image, at, header);
            var entryLength = BinaryPrimitives.ReadUInt32LittleEndian(header);
            if (entryLength < 8 || at + entryLength > end) throw new InvalidDataException($"a WIN_CERTIFICATE at {at} has a bad length {entryLength}");
            if (BinaryPrimitives.ReadUInt16LittleEndian(header[6..]) == WinCertTypePkcsSignedData) signatures++;
            at += (entryLength + 7) & ~7L;
        }
        return signatures;
    }

    /// <summary><see cref="Count(Stream)"/> of the file at <paramref name="path"/>.</summary>
    public static int Count(string path)
    {
        using var stream = File.OpenRead(path);
        return Count(stream);
    }

    private static void ReadAt(Stream stream, long offset, Span<byte> buffer)
    {
        stream.Position = offset;
        stream.ReadExactly(buffer);
    }
}
