using System.Net.Sockets;
using System.Reflection;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Host;

/// <summary>
/// A routing request (a caller waits on it; answered from memory) is read, decided and answered on the
/// runtime's socket event thread itself, without waking another thread; every other request leaves that
/// thread before any of its code runs, and its connection's reads go back to the thread pool. Nothing that
/// can wait synchronously on I/O ever runs there: the event thread also serves the database's sockets (ADR 15).
/// </summary>
public static class RoutingOnTheSocketThread
{
    // The runtime's per-socket form of DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS (internal in .NET 10);
    // without it every request is handled as by default.
    private static readonly Action<Socket, bool>? PreferInlineCompletions =
        typeof(Socket).GetProperty("PreferInlineCompletions", BindingFlags.Instance | BindingFlags.NonPublic)?.GetSetMethod(nonPublic: true)
            ?.CreateDelegate<Action<Socket, bool>>();

    public static bool Available => PreferInlineCompletions is not null;

    /// <summary>
    /// A new connection's socket events are handled on the event thread; a first request that was already there when
    /// the connection started is read by the pool thread that starts it, so the lane begins with the connection's next read.
    /// </summary>
    public static void ReadNewConnectionsOnTheSocketThread(this ListenOptions listen) =>
        listen.Use(next => connection =>
        {
            if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket) PreferInlineCompletions?.Invoke(socket, true);
            return next(connection);
        });

    /// <summary>
    /// First in the pipeline: only routing requests stay on the event thread. Any other request moves to the thread
    /// pool, and while it runs its connection's socket events go there too (a body read or a flush resumes its code);
    /// an HTTP/1.x connection reads its next request on the event thread again.
    /// </summary>
    public static void UseSocketThreadOnlyForRouting(this WebApplication app) =>
        app.Use(async (context, next) =>
        {
            if (UisHooks.IsRoutingRequest(context.Request) || context.Features.Get<IConnectionSocketFeature>()?.Socket is not { } socket)
            {
                await next(context);
                return;
            }
            PreferInlineCompletions?.Invoke(socket, false);
            if (!Thread.CurrentThread.IsThreadPoolThread) await Task.Yield();
            try
            {
                await next(context);
            }
            finally
            {
                // Requests of one HTTP/2 connection run at once: it stays with the thread pool.
                if (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol))
                    PreferInlineCompletions?.Invoke(socket, true);
            }
        });
}
