using System.Security.Cryptography;
using Calls.Recordings;

namespace UnitTests.Calls;

public sealed class DiskRecordingStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("envycrm-store-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_recording_is_stored_under_its_content_hash_and_read_back()
    {
        var store = new DiskRecordingStore(_folder);
        var bytes = RandomNumberGenerator.GetBytes(200_000);
        var (sha256, size) = await store.SaveAsync(new MemoryStream(bytes), maxBytes: 1_000_000, CancellationToken.None);
        (sha256, size).Should().Be((Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length));
        await using var read = store.OpenRead(sha256)!;
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        copy.ToArray().Should().Equal(bytes);
        Directory.GetFiles(_folder).Should().ContainSingle("no temporary file is left");
    }

    [Fact]
    public async Task A_recording_over_the_cap_leaves_nothing_behind()
    {
        var store = new DiskRecordingStore(_folder);
        var saving = () => store.SaveAsync(new MemoryStream(new byte[300_000]), maxBytes: 100_000, CancellationToken.None);
        await saving.Should().ThrowAsync<RecordingTooLargeException>();
        Directory.GetFiles(_folder).Should().BeEmpty();
    }

    [Fact]
    public void Partial_downloads_a_crash_left_are_removed_once_old()
    {
        var store = new DiskRecordingStore(_folder);
        var old = Path.Combine(_folder, ".incoming-old");
        var fresh = Path.Combine(_folder, ".incoming-fresh");
        File.WriteAllBytes(old, [1]);
        File.WriteAllBytes(fresh, [2]);
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-2));

        store.RemoveAbandoned(TimeSpan.FromHours(1)).Should().Be(1);
        File.Exists(old).Should().BeFalse();
        File.Exists(fresh).Should().BeTrue("it may be a download under way");
    }
}
