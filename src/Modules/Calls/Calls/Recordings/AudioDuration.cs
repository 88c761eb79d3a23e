using System.Buffers.Binary;

namespace Calls.Recordings;

/// <summary>
/// A recording's length in whole seconds, read from the start of the file: WAV from its header, MP3
/// from the first frame (the Xing/Info frame count when present, else the constant bit rate). Null
/// when the format is not recognised.
/// </summary>
public static class AudioDuration
{
    public const int HeaderBytes = 64 * 1024;

    private static readonly int[] Mpeg1Layer3Kbps = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0];
    private static readonly int[] Mpeg2Layer3Kbps = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0];
    private static readonly int[] Mpeg1Rates = [44100, 48000, 32000, 0];

    public static int? Seconds(ReadOnlySpan<byte> head, long fileSize) => Wav(head) ?? Mp3(head, fileSize);

    private static int? Wav(ReadOnlySpan<byte> head)
    {
        if (head.Length < 12 || !head[..4].SequenceEqual("RIFF"u8) || !head[8..12].SequenceEqual("WAVE"u8)) return null;
        int? byteRate = null;
        for (var at = 12; at + 8 <= head.Length;)
        {
            var size = BinaryPrimitives.ReadInt32LittleEndian(head[(at + 4)..]);
            if (head.Slice(at, 4).SequenceEqual("fmt "u8) && at + 20 <= head.Length) byteRate = BinaryPrimitives.ReadInt32LittleEndian(head[(at + 16)..]);
            if (head.Slice(at, 4).SequenceEqual("data"u8)) return byteRate is > 0 ? (int)Math.Round((double)(uint)size / byteRate.Value) : null;
            if (size < 0) return null;
            at += 8 + size + (size & 1);
        }
        return null;
    }

    private static int? Mp3(ReadOnlySpan<byte> head, long fileSize)
    {
        var at = 0;
        if (head.Length >= 10 && head[..3].SequenceEqual("ID3"u8))
            at = 10 + ((head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | (head[9] & 0x7F));
        for (; at + 4 <= head.Length; at++)
        {
            if (head[at] != 0xFF || (head[at + 1] & 0xE0) != 0xE0) continue;
            var version = (head[at + 1] >> 3) & 0x3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
            var layer = (head[at + 1] >> 1) & 0x3;   // 1: Layer III
            if (version == 1 || layer != 1) continue;
            var kbps = (version == 3 ? Mpeg1Layer3Kbps : Mpeg2Layer3Kbps)[head[at + 2] >> 4];
            var rate = Mpeg1Rates[(head[at + 2] >> 2) & 0x3] / (version == 3 ? 1 : version == 2 ? 2 : 4);
            if (kbps == 0 || rate == 0) continue;
            var samplesPerFrame = version == 3 ? 1152 : 576;
            var mono = (head[at + 3] >> 6) == 3;
            var xingAt = at + 4 + (version == 3 ? (mono ? 17 : 32) : (mono ? 9 : 17));
            if (xingAt + 12 <= head.Length && (head.Slice(xingAt, 4).SequenceEqual("Xing"u8) || head.Slice(xingAt, 4).SequenceEqual("Info"u8)) &&
                (head[xingAt + 7] & 0x1) != 0)
                return (int)Math.Round((double)BinaryPrimitives.ReadUInt32BigEndian(head[(xingAt + 8)..]) * samplesPerFrame / rate);
            return (int)Math.Round((fileSize - at) * 8.0 / (kbps * 1000));
        }
        return null;
    }
}
