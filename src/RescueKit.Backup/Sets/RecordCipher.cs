using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace RescueKit.Backup.Sets;

/// <summary>
/// The encrypted form of one chunk file (docs/backup.md "Encryption"): a 20-byte header — magic "RKGCM001", the record
/// size (u32 LE), an 8-byte random nonce prefix — then AES-256-GCM records, each the ciphertext of up to record-size
/// plaintext bytes followed by its 16-byte tag. Record r's nonce is the prefix followed by r (u32 BE); its associated
/// data is the header, the set name, the chunk index, r and a flag saying whether more records follow, the chunk ends,
/// or the whole stream ends — so an altered, truncated, reordered or swapped record or chunk fails authentication.
/// </summary>
internal sealed class RecordCipher(byte[] key, string streamName) : IDisposable
{
    public const int HeaderSize = 20;
    public const int TagSize = 16;
    private static ReadOnlySpan<byte> Magic => "RKGCM001"u8;

    private readonly AesGcm _aes = new(key, TagSize);
    private readonly byte[] _name = Encoding.UTF8.GetBytes(streamName);

    /// <summary>What follows a record: bound into its associated data.</summary>
    public enum Follows : byte
    {
        MoreRecords = 0,
        EndOfChunk = 1,
        EndOfStream = 2,
    }

    public static byte[] NewHeader(int recordSize)
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), (uint)recordSize);
        RandomNumberGenerator.Fill(header.AsSpan(12, 8));
        return header;
    }

    /// <summary>Checks a chunk's header and returns its record size.</summary>
    public static int ReadHeader(ReadOnlySpan<byte> header, string chunk)
    {
        if (header.Length < HeaderSize || !header[..8].SequenceEqual(Magic))
            throw new InvalidDataException($"{chunk}: not an encrypted RescueKit chunk (no RKGCM001 header)");
        var recordSize = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (recordSize is 0 or > 64 << 20)
            throw new InvalidDataException($"{chunk}: the record size {recordSize} in its header is out of range");
        return (int)recordSize;
    }

    public void Seal(ReadOnlySpan<byte> header, int chunkIndex, int recordIndex, Follows follows,
        ReadOnlySpan<byte> plaintext, Span<byte> ciphertextAndTag)
    {
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> aad = stackalloc byte[AadLength];
        Bind(header, chunkIndex, recordIndex, follows, nonce, aad);
        _aes.Encrypt(nonce, plaintext, ciphertextAndTag[..plaintext.Length], ciphertextAndTag.Slice(plaintext.Length, TagSize), aad);
    }

    /// <summary>Decrypts one record; false when it does not authenticate.</summary>
    public bool TryOpen(ReadOnlySpan<byte> header, int chunkIndex, int recordIndex, Follows follows,
        ReadOnlySpan<byte> ciphertextAndTag, Span<byte> plaintext)
    {
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> aad = stackalloc byte[AadLength];
        Bind(header, chunkIndex, recordIndex, follows, nonce, aad);
        var length = ciphertextAndTag.Length - TagSize;
        try
        {
            _aes.Decrypt(nonce, ciphertextAndTag[..length], ciphertextAndTag[length..], plaintext[..length], aad);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    private int AadLength => HeaderSize + 2 + _name.Length + 4 + 4 + 1;

    private void Bind(ReadOnlySpan<byte> header, int chunkIndex, int recordIndex, Follows follows, Span<byte> nonce, Span<byte> aad)
    {
        header.Slice(12, 8).CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], (uint)recordIndex);
        header[..HeaderSize].CopyTo(aad);
        var at = HeaderSize;
        BinaryPrimitives.WriteUInt16LittleEndian(aad[at..], (ushort)_name.Length);
        at += 2;
        _name.CopyTo(aad[at..]);
        at += _name.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(aad[at..], (uint)chunkIndex);
        BinaryPrimitives.WriteUInt32LittleEndian(aad[(at + 4)..], (uint)recordIndex);
        aad[at + 8] = (byte)follows;
    }

    public void Dispose() => _aes.Dispose();
}
