using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Host;

/// <summary>
/// Request and response examples in the OpenAPI document: written by hand where a realistic value
/// matters (phones, UIS's answers), and made from the schema for every other body, so no operation
/// is left without one.
/// </summary>
public sealed class ApiExamples : IOpenApiDocumentTransformer
{
    private const int MaxDepth = 5;

    /// <summary>"METHOD /path" → (request, response of the first 2xx) written by hand.</summary>
    private static readonly Dictionary<string, (string? Request, string? Response)> Written = new()
    {
        ["POST /api/calls/outgoing"] = ("""{"phone":"8 916 123-45-67","lineNumber":"+74993720692"}""",
            """{"callId":"0193a5c2-7b1e-7d40-9b1a-3f2d2c1e0a11","uisCallSessionId":5012345678}"""),
        ["POST /api/clients"] = ("""{"name":"ООО Ромашка","phones":["+7 916 123-45-67","8 (926) 000-00-01"],"personalManagerId":7}""", null),
        ["PUT /api/clients/{id}/personal-manager"] = ("""{"employeeId":7}""", null),
        ["POST /api/clients/{id}/phones"] = ("""{"phone":"8 926 000 00 02"}""", null),
        ["PUT /api/settings/routing"] = ("""{"enabled":true,"allowedSources":["203.0.113.10","198.51.100.0/24"],"greeting":{"text":"Соединяем с вашим менеджером"}}""", null),
        ["PUT /api/settings/employees/{id}/availability"] = ("""{"available":false}""", null),
        ["PUT /api/settings/employees/{id}"] = ("""{"fullName":"Анна Смирнова","uisEmployeeId":100042,"phones":["+79160000007"]}""", null),
        ["PUT /api/settings/lines"] = ("""{"lines":["+74993720692"]}""", null),
        ["PUT /api/settings/lines/{line}/employees"] = ("""{"employeeIds":[7,8]}""", null),
        ["PUT /api/settings/uis"] = ("""{"apiKey":"0a1b2c3d4e5f60718293a4b5c6d7e8f9"}""", """{"apiKeySet":true,"apiKeyLast4":"e8f9"}"""),
        ["POST /api/settings/uis/check"] = (null, """{"virtualNumbers":[{"number":"74993720692","status":"active"}],"employees":[{"uisEmployeeId":100042,"fullName":"Анна Смирнова","phoneNumbers":["79160000007"],"extension":"101"}]}"""),
        ["PUT /api/settings/recordings"] = ("""{"retentionDays":365}""", null),
        ["POST /admin/tenants"] = ("""{"subdomain":"acme","name":"ООО Акме","timeZone":"Europe/Moscow"}""",
            """{"tenantId":"acme","subdomain":"acme","notificationLink":"https://uis.envycrm.com/hook/uis/pQ3…"}"""),
        ["GET /api/events"] = (null, "event: incoming-call\ndata: {\"callId\":\"0193a5c2-7b1e-7d40-9b1a-3f2d2c1e0a11\",\"phone\":\"+79161234567\",\"line\":\"+74993720692\"," +
            "\"card\":{\"id\":\"0193a5c2-0000-7000-8000-000000000001\",\"kind\":\"lead\",\"name\":null,\"personalManager\":null,\"isNewLead\":true}}\n\n"),
        ["GET /hook/uis/{secret}"] = (null, """{"ok":true}"""),
        ["POST /hook/uis/{secret}"] = ("event=call_start&direction=%22in%22&line_number=74993720692&client_number=%2279161234567%22&call_hash=5012345678",
            """{"ok":true}"""),
        ["GET /hook/uis"] = (null, """{"phones":["79160000007"],"text":"Соединяем с вашим менеджером"}"""),
        ["POST /hook/uis"] = ("numa=79161234567&call_session_id=5012345678", """{"phones":["79160000007"]}"""),
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        foreach (var (path, item) in document.Paths)
        foreach (var (method, operation) in item.Operations ?? [])
        {
            Written.TryGetValue($"{method.Method.ToUpperInvariant()} {path}", out var written);
            if (operation.RequestBody?.Content is { } request)
                foreach (var (type, media) in request)
                    Fill(document, media, written.Request, type);
            else if (written.Request is not null && operation.RequestBody is null && method != HttpMethod.Get)
                operation.RequestBody = new OpenApiRequestBody
                {
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/x-www-form-urlencoded"] = new() { Example = JsonValue.Create(written.Request) },
                    },
                };
            foreach (var (status, response) in operation.Responses ?? [])
            {
                if (response.Content is null) continue;
                foreach (var (type, media) in response.Content)
                    Fill(document, media, status.StartsWith('2') ? written.Response : null, type);
            }
            if (written.Response is not null && operation.Responses?.TryGetValue("200", out var ok) == true && ok.Content is { Count: 0 } or null)
                if (ok is OpenApiResponse concrete)
                    concrete.Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Example = JsonNode.Parse(written.Response) } };
        }
        return Task.CompletedTask;
    }

    private static void Fill(OpenApiDocument document, OpenApiMediaType media, string? written, string contentType)
    {
        if (media.Example is not null) return;
        if (written is not null)
            media.Example = contentType.Contains("json") ? JsonNode.Parse(written) : JsonValue.Create(written);
        else if (media.Schema is not null)
            media.Example = Sample(document, media.Schema, 0);
    }

    /// <summary>A value of the schema's shape: named plausibly where the name or format says what it is.</summary>
    private static JsonNode? Sample(OpenApiDocument document, IOpenApiSchema schema, int depth, string? name = null)
    {
        if (schema is OpenApiSchemaReference reference && reference.Reference.Id is { } id
            && document.Components?.Schemas?.TryGetValue(id, out var target) == true)
            schema = target;
        if (depth > MaxDepth) return null;
        if (schema.Enum is { Count: > 0 } values) return values[0]?.DeepClone();
        var type = schema.Type ?? (schema.Properties is { Count: > 0 } ? JsonSchemaType.Object : (JsonSchemaType?)null);
        if (type is null && (schema.OneOf ?? schema.AnyOf ?? schema.AllOf) is { Count: > 0 } options)
            return Sample(document, options.First(o => o.Type != JsonSchemaType.Null), depth + 1, name);
        if (type is null) return null;
        if (type.Value.HasFlag(JsonSchemaType.Object))
        {
            var result = new JsonObject();
            foreach (var (property, propertySchema) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
                result[property] = Sample(document, propertySchema, depth + 1, property);
            return result;
        }
        if (type.Value.HasFlag(JsonSchemaType.Array))
            return schema.Items is null ? new JsonArray() : new JsonArray(Sample(document, schema.Items, depth + 1, name));
        if (type.Value.HasFlag(JsonSchemaType.Boolean)) return true;
        if (type.Value.HasFlag(JsonSchemaType.Integer)) return name?.Contains("session", StringComparison.OrdinalIgnoreCase) == true ? 5012345678 : 7;
        if (type.Value.HasFlag(JsonSchemaType.Number)) return 1.5;
        return schema.Format switch
        {
            "uuid" => "0193a5c2-7b1e-7d40-9b1a-3f2d2c1e0a11",
            "date-time" => "2026-11-28T09:15:00+03:00",
            "date" => "2026-11-28",
            _ when name?.Contains("phone", StringComparison.OrdinalIgnoreCase) == true => "+79161234567",
            _ when name?.Contains("line", StringComparison.OrdinalIgnoreCase) == true => "+74993720692",
            _ => name?.ToLowerInvariant() switch
            {
                "kind" => "client",
                "status" => "answered",
                "direction" => "in",
                "outcome" => "routed",
                "reason" => "no-personal-manager",
                "name" or "fullname" => "Анна Смирнова",
                "source" => "incoming-call",
                "url" => "/api/calls/0193a5c2-7b1e-7d40-9b1a-3f2d2c1e0a11/recordings/1",
                _ => name ?? "string",
            },
        };
    }
}
