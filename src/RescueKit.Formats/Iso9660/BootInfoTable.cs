using System.Buffers.Binary;

namespace RescueKit.Formats.Iso9660;

/// <summary>
/// The ISOLINUX boot-info-table (formats.md §8; syslinux core/isolinux.asm bi_pvd..bi_reserved), patched into the
/// copy of isolinux.bin written to the image, never into the source file.
/// </summary>
internal static class BootInfoTable
{
    public const int BiPvd = 8;
    public const int BiFile = BiPvd + 4;
    public const int BiLength = BiFile + 4;
    public const int BiCsum = BiLength + 4;
    public const int BiReserved = BiCsum + 4;
    public const int ReservedLength = 40;
    /// <summary>The checksum covers the file from this offset to the end.</summary>
    public const int ChecksumStart = BiReserved + ReservedLength;

    /// <summary>isolinux.bin's hybrid entry signature at 0x40 (syslinux utils/isohybrid.c); isohdpfx.bin jumps there.</summary>
    public const uint HybridMagic = 0x7078C0FB;
    public const uint PrimaryVolumeDescriptorLba = 16;

    /// <summary>Σ of the little-endian u32 words from byte 64 on, the tail zero-padded to 4 bytes.</summary>
    public static uint Checksum(Stream fromOffset64)
    {
        var buffer = new byte[64 * 1024];
        uint sum = 0;
        int carry = 0, read;
        while ((read = fromOffset64.Read(buffer, carry, buffer.Length - carry)) > 0)
        {
            var n = carry + read;
            var whole = n - n % 4;
            for (var i = 0; i < whole; i += 4) sum += BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(i));
            carry = n - whole;
            buffer.AsSpan(whole, carry).CopyTo(buffer);
        }
        if (carry > 0)
        {
            buffer.AsSpan(carry, 4 - carry).Clear();
            sum += BinaryPrimitives.ReadUInt32LittleEndian(buffer);
        }
        return sum;
    }

    /// <summary>Writes bi_pvd, bi_file, bi_length, bi_csum and clears bi_reserved in the first 64 bytes.</summary>
    public static void Patch(Span<byte> head, uint fileLba, uint fileLength, uint checksum)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(head[BiPvd..], PrimaryVolumeDescriptorLba);
        BinaryPrimitives.WriteUInt32LittleEndian(head[BiFile..], fileLba);
        BinaryPrimitives.WriteUInt32LittleEndian(head[BiLength..], fileLength);
        BinaryPrimitives.WriteUInt32LittleEndian(head[BiCsum..], checksum);
        head.Slice(BiReserved, ReservedLength).Clear();
    }
}
