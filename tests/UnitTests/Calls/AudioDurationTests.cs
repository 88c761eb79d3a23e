using Calls.Recordings;

namespace UnitTests.Calls;

public sealed class AudioDurationTests
{
    [Fact]
    public void A_wav_file_is_as_long_as_its_data_over_its_byte_rate()
    {
        var wav = UisSimulator.Playback.Recording(seconds: 3);
        AudioDuration.Seconds(wav, wav.Length).Should().Be(3);
    }

    [Fact]
    public void A_constant_bit_rate_mp3_is_as_long_as_its_size_over_its_bit_rate()
    {
        // MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, stereo; 60 s = 960,000 bytes after a 10-byte ID3 tag.
        var file = new byte[10 + 960_000];
        "ID3"u8.CopyTo(file);
        file[10] = 0xFF;
        file[11] = 0xFB;
        file[12] = 0x90;
        file[13] = 0x00;
        AudioDuration.Seconds(file.AsSpan(0, AudioDuration.HeaderBytes), file.Length).Should().Be(60);
    }

    [Fact]
    public void A_variable_bit_rate_mp3_counts_the_frames_its_xing_header_gives()
    {
        // MPEG-1 Layer III mono, 44.1 kHz: Xing at 4 + 17; 2297 frames × 1152 samples = 60 s.
        var file = new byte[4096];
        file[0] = 0xFF;
        file[1] = 0xFB;
        file[2] = 0x50;
        file[3] = 0xC0;
        "Xing"u8.CopyTo(file.AsSpan(21));
        file[28] = 0x01;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(29), 2297);
        AudioDuration.Seconds(file, 5_000_000).Should().Be(60);
    }

    [Fact]
    public void Anything_else_has_no_known_duration() =>
        AudioDuration.Seconds("not audio at all"u8, 16).Should().BeNull();
}
