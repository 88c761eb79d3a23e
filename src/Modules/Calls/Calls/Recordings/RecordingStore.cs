using System.Security.Cryptography;

namespace Calls.Recordings;

/// <summary>Where archived recordings live, by content hash (SHA-256, hex). A folder on disk by default; an S3-compatible store would implement this too.</summary>
public interface IRecordingStore
{
    /// <summary>Copies the stream into storage without holding it in memory; the file appears whole or not at all.</summary>
    Task<(string Sha256, long Size)> SaveAsync(Stream content, long maxBytes, CancellationToken ct);

    Stream? OpenRead(string sha256);

    Task DeleteAsync(string sha256);

    /// <summary>Removes what downloads cut short by a crash left behind (older than <paramref name="olderThan"/>); how many.</summary>
    int RemoveAbandoned(TimeSpan olderThan);
}

public sealed class RecordingTooLargeException(long maxBytes) : Exception($"The recording is larger than {maxBytes} bytes.");

public sealed class DiskRecordingStore(string folder) : IRecordingStore
{
    public async Task<(string Sha256, long Size)> SaveAsync(Stream content, long maxBytes, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".incoming-{Guid.NewGuid():N}");
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    size += read;
                    if (size > maxBytes) throw new RecordingTooLargeException(maxBytes);
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                await file.FlushAsync(ct);
            }
            var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            File.Move(temporary, PathOf(sha256), overwrite: true);
            return (sha256, size);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    public Stream? OpenRead(string sha256) =>
        File.Exists(PathOf(sha256)) ? new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true) : null;

    public Task DeleteAsync(string sha256)
    {
        File.Delete(PathOf(sha256));
        return Task.CompletedTask;
    }

    public int RemoveAbandoned(TimeSpan olderThan)
    {
        if (!Directory.Exists(folder)) return 0;
        var abandoned = new DirectoryInfo(folder).GetFiles(".incoming-*").Where(f => f.LastWriteTimeUtc < DateTime.UtcNow - olderThan).ToList();
        abandoned.ForEach(f => f.Delete());
        return abandoned.Count;
    }

    private string PathOf(string sha256) =>
        sha256.Length == 64 && sha256.All(Uri.IsHexDigit) ? Path.Combine(folder, sha256) : throw new ArgumentException("Not a SHA-256 hash.", nameof(sha256));
}
