using System.Buffers.Binary;

namespace KvActors.Storage;

/// <summary>
/// What SQLite's WAL recovery will cut off the end of a <c>-wal</c> file: the frames of a write that
/// a crash tore (a partial frame, a frame failing its checksum, frames whose transaction never got
/// its commit frame). Read before SQLite opens the file, so that what it silently drops is logged.
/// </summary>
/// <remarks>
/// <para>Follows SQLite's own rule (wal.c, <c>walIndexRecover</c>; https://sqlite.org/fileformat2.html#walformat):
/// a 32-byte header with a magic, the page size, two salts and a checksum, then frames of 24 header
/// bytes plus one page. A frame is valid when its salts equal the header's and its cumulative
/// checksum matches; recovery keeps every valid frame up to the last valid commit frame (one whose
/// "database size" field is not 0) and ignores the rest.</para>
/// <para>Frames after the first one with other salts are left over from before the WAL was last
/// restarted: already checkpointed into the database, so dropping them loses nothing and is not
/// reported.</para>
/// </remarks>
internal sealed class WalTail
{
    private const int HeaderBytes = 32;
    private const int FrameHeaderBytes = 24;
    private const uint MagicLittleEndianSums = 0x377f0682;
    private const uint MagicBigEndianSums = 0x377f0683;

    private WalTail(long tornBytes, string reason)
    {
        TornBytes = tornBytes;
        Reason = reason;
    }

    /// <summary>Bytes of the current WAL generation past its last whole committed transaction, which recovery drops; 0 when none.</summary>
    public long TornBytes { get; }

    /// <summary>Why those bytes are dropped, for the log; empty when none are.</summary>
    public string Reason { get; }

    /// <summary>Reads a WAL file as SQLite's recovery will.</summary>
    /// <param name="walPath">The <c>-wal</c> file; a missing or empty one has no torn tail.</param>
    /// <returns>What recovery will drop.</returns>
    /// <exception cref="IOException">The file could not be read.</exception>
    public static WalTail Inspect(string walPath)
    {
        if (!File.Exists(walPath))
        {
            return new WalTail(0, string.Empty);
        }

        using var handle = File.OpenHandle(walPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = RandomAccess.GetLength(handle);
        if (length == 0)
        {
            return new WalTail(0, string.Empty);
        }

        var header = new byte[HeaderBytes];
        if (length < HeaderBytes || RandomAccess.Read(handle, header, 0) < HeaderBytes)
        {
            return new WalTail(length, "a partial WAL header: SQLite ignores the whole file");
        }

        var magic = BinaryPrimitives.ReadUInt32BigEndian(header);
        var pageSize = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8));
        var bigEndianSums = magic == MagicBigEndianSums;
        uint s1 = 0, s2 = 0;
        Checksum(header.AsSpan(0, 24), bigEndianSums, ref s1, ref s2);
        if ((magic != MagicLittleEndianSums && magic != MagicBigEndianSums)
            || pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) != 0
            || s1 != BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(24))
            || s2 != BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(28)))
        {
            return new WalTail(length, "a WAL header failing its checksum: SQLite ignores the whole file");
        }

        return WalkFrames(handle, length, header, (int)pageSize, bigEndianSums, s1, s2);
    }

    private static WalTail WalkFrames(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long length, byte[] header, int pageSize, bool bigEndianSums, uint s1, uint s2)
    {
        var frameBytes = FrameHeaderBytes + pageSize;
        var frame = new byte[frameBytes];
        var salts = header.AsSpan(16, 8);
        var committedEnd = (long)HeaderBytes;
        var offset = (long)HeaderBytes;
        while (offset < length)
        {
            if (length - offset < frameBytes)
            {
                // A partial frame can only be the end of the current generation: an older one's frames were all whole.
                return Torn(length - committedEnd, $"a partial frame of {length - offset} bytes at offset {offset}");
            }

            RandomAccess.Read(handle, frame, offset);
            var span = frame.AsSpan();
            if (!span.Slice(8, 8).SequenceEqual(salts))
            {
                break;
            }

            Checksum(span[..8], bigEndianSums, ref s1, ref s2);
            Checksum(span[FrameHeaderBytes..], bigEndianSums, ref s1, ref s2);
            if (BinaryPrimitives.ReadUInt32BigEndian(span) == 0
                || s1 != BinaryPrimitives.ReadUInt32BigEndian(span[16..])
                || s2 != BinaryPrimitives.ReadUInt32BigEndian(span[20..]))
            {
                return Torn(offset + frameBytes - committedEnd, $"a frame failing its checksum at offset {offset}");
            }

            offset += frameBytes;
            if (BinaryPrimitives.ReadUInt32BigEndian(span[4..]) != 0)
            {
                committedEnd = offset;
            }
        }

        return offset > committedEnd
            ? Torn(offset - committedEnd, $"{(offset - committedEnd) / frameBytes} frames of a transaction that never committed")
            : new WalTail(0, string.Empty);
    }

    private static WalTail Torn(long bytes, string reason) => new(bytes, reason);

    // SQLite's WAL checksum (walChecksumBytes): two running 32-bit sums over pairs of 32-bit words,
    // read little- or big-endian as the header's magic says; the length is a multiple of 8.
    private static void Checksum(ReadOnlySpan<byte> data, bool bigEndian, ref uint s1, ref uint s2)
    {
        for (var i = 0; i < data.Length; i += 8)
        {
            var a = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(data[i..]) : BinaryPrimitives.ReadUInt32LittleEndian(data[i..]);
            var b = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(data[(i + 4)..]) : BinaryPrimitives.ReadUInt32LittleEndian(data[(i + 4)..]);
            s1 += a + s2;
            s2 += b + s1;
        }
    }
}
