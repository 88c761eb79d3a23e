using System.Data.Common;
using BuildingBlocks.EmployeeEvents;
using Weasel.Core;
using Weasel.Storage;

namespace Leads.ScreenPop;

/// <summary>
/// <c>pg_notify</c> of an employee event inside the session's transaction: PostgreSQL delivers it
/// on commit, and never for a transaction that rolled back. (Marten's QueueSqlCommand expects no
/// result set, and <c>select pg_notify</c> returns one.)
/// </summary>
public sealed class NotifyEmployees(EmployeeEvent e) : Weasel.Storage.IStorageOperation
{
    public Type DocumentType => typeof(Marten.Storage.StorageFeatures);

    public void ConfigureCommand(ICommandBuilder builder, IStorageSession session)
    {
        builder.Append($"select pg_notify('{EmployeeEventHub.Channel}', ");
        builder.AppendParameter(EmployeeEventHub.Payload(e));
        builder.Append(")");
    }

    public Task PostprocessAsync(DbDataReader reader, IList<Exception> exceptions, CancellationToken token) => Task.CompletedTask;

    public OperationRole Role() => OperationRole.Other;
}
