namespace LoadHarness;

/// <summary>
/// This machine's kernel scans physical memory every 500 ms (DAMON, reclaiming cold pages for the hypervisor)
/// and compacts it proactively on the same beat; both stall running processes, the more the larger they are
/// (docs/benchmarks.md, session 7). <c>--pause-kernel-memory-scans</c> (root) pauses both for the run and
/// restores them after, to separate the machine's stalls from the service's: a diagnosis, not a setting of the service.
/// </summary>
public sealed class KernelMemoryScans : IDisposable
{
    private const string Damon = "/sys/kernel/mm/damon/admin/kdamonds/0/state";
    private const string Compaction = "/proc/sys/vm/compaction_proactiveness";
    private readonly Dictionary<string, string> _restore = new();

    private KernelMemoryScans() => AppDomain.CurrentDomain.ProcessExit += (_, _) => Dispose();

    public static KernelMemoryScans Pause()
    {
        var scans = new KernelMemoryScans();
        scans.Set(Damon, "off");
        scans.Set(Compaction, "0");
        return scans;
    }

    public string Describe() => _restore.Count == 0
        ? "kernel memory scans left as they are (pausing them needs root and DAMON)"
        : $"kernel memory scans PAUSED for the run (diagnosis: {string.Join(", ", _restore.Keys)})";

    private void Set(string path, string value)
    {
        try
        {
            var before = File.ReadAllText(path).Trim();
            File.WriteAllText(path, value);
            _restore[path] = before;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    public void Dispose()
    {
        foreach (var (path, value) in _restore)
            try
            {
                File.WriteAllText(path, value);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"Could not restore {path} to {value}: {e.Message}");
            }
        _restore.Clear();
    }
}
