using JasperFx;
using Microsoft.AspNetCore.Diagnostics;

namespace Host;

/// <summary>A write that lost a race for a unique key is a 409, not a 500.</summary>
public sealed class ConflictExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (exception is not DocumentAlreadyExistsException) return false;
        context.Response.StatusCode = StatusCodes.Status409Conflict;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = 409, Title = "Already exists", Detail = "Something with the same identity was created at the same moment." },
        });
    }
}
