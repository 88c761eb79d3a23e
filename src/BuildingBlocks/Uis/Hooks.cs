namespace BuildingBlocks.Uis;

public static class Hooks
{
    /// <summary>The concurrency limit that UIS hook endpoints share (configured by the host).</summary>
    public const string UisConcurrency = "uis-hook";
}
