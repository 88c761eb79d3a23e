using System.Data.Common;
using Weasel.Core;

namespace BuildingBlocks.Postgres;

/// <summary>
/// <c>pg_notify</c> inside the session's transaction: PostgreSQL delivers it on commit, and never
/// for a transaction that rolled back. (Marten's QueueSqlCommand expects no result set, and
/// <c>select pg_notify</c> returns one.)
/// </summary>
public sealed class PgNotify(string channel, string payload) : Weasel.Storage.IStorageOperation
{
    public Type DocumentType => typeof(Marten.Storage.StorageFeatures);

    public void ConfigureCommand(ICommandBuilder builder, Weasel.Storage.IStorageSession session)
    {
        builder.Append($"select pg_notify('{channel}', ");
        builder.AppendParameter(payload);
        builder.Append(")");
    }

    public Task PostprocessAsync(DbDataReader reader, IList<Exception> exceptions, CancellationToken token) => Task.CompletedTask;

    public OperationRole Role() => OperationRole.Other;
}
