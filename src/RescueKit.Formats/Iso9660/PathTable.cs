using System.Buffers.Binary;
using System.Text;

namespace RescueKit.Formats.Iso9660;

/// <summary>ECMA-119 9.4 path table (formats.md §3): one record per directory, in path-table order, L (LE) or M (BE).</summary>
internal static class PathTable
{
    public const int LengthOfDirectoryIdentifier = 0;
    public const int ExtendedAttributeRecordLength = LengthOfDirectoryIdentifier + 1;
    public const int LocationOfExtent = ExtendedAttributeRecordLength + 1;
    public const int ParentDirectoryNumber = LocationOfExtent + 4;
    public const int DirectoryIdentifier = ParentDirectoryNumber + 2;

    /// <summary>
    /// Renders the table for <paramref name="dirs"/>, which must already be in path-table order (breadth first,
    /// children in directory-record order: that is "by level, then parent number, then identifier", 6.9.1).
    /// </summary>
    public static byte[] Render(IReadOnlyList<IsoDirectory> dirs, bool joliet, bool bigEndian)
    {
        using var ms = new MemoryStream();
        Span<byte> head = stackalloc byte[DirectoryIdentifier];
        foreach (var d in dirs)
        {
            byte[] id = d.Parent is null ? [0] : joliet ? Encoding.BigEndianUnicode.GetBytes(d.JolietName!) : Encoding.ASCII.GetBytes(d.IsoName);
            var lba = joliet ? d.JolietLba : d.IsoLba;
            var parentNumber = (ushort)(d.Parent is null ? 1 : joliet ? d.Parent.JolietNumber : d.Parent.IsoNumber);
            head.Clear();
            head[LengthOfDirectoryIdentifier] = (byte)id.Length;
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt32BigEndian(head[LocationOfExtent..], lba);
                BinaryPrimitives.WriteUInt16BigEndian(head[ParentDirectoryNumber..], parentNumber);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(head[LocationOfExtent..], lba);
                BinaryPrimitives.WriteUInt16LittleEndian(head[ParentDirectoryNumber..], parentNumber);
            }
            ms.Write(head);
            ms.Write(id);
            if (id.Length % 2 == 1) ms.WriteByte(0);
        }
        return ms.ToArray();
    }
}
