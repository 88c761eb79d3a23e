using System.Text.Json;
using System.Text.Json.Nodes;

namespace UisSimulator;

/// <summary>An error as UIS shapes it (uis-protocol.md §4).</summary>
public sealed class RpcError(int code, string mnemonic, string message, string? field = null, int? minuteReset = null) : Exception(message)
{
    public static readonly Dictionary<string, int> Codes = new()
    {
        ["access_token_invalid"] = -32001, ["access_token_expired"] = -32001, ["access_token_blocked"] = -32001,
        ["ip_not_whitelisted"] = -32003, ["limit_exceeded"] = -32029, ["employee_not_found"] = -32007,
        ["no_active_phone_number"] = -32007, ["virtual_phone_number_not_found"] = -32007, ["contact_in_blacklist"] = -32002,
        ["invalid_parameter_value"] = -32602, ["required_parameter_missed"] = -32602, ["unexpected_parameters"] = -32602,
        ["method_not_found"] = -32601, ["invalid_request"] = -32600, ["internal_error"] = -32000,
    };

    public static RpcError Of(string mnemonic, string? message = null, string? field = null, int? minuteReset = null) =>
        new(Codes.GetValueOrDefault(mnemonic, -32000), mnemonic, message ?? mnemonic.Replace('_', ' '), field, minuteReset);

    public JsonObject ToJson(JsonNode? id)
    {
        var data = new JsonObject
        {
            ["mnemonic"] = mnemonic, ["field"] = field, ["value"] = null, ["params"] = new JsonObject(), ["extended_helper"] = null,
        };
        if (minuteReset is { } reset) data["metadata"] = new JsonObject { ["limits"] = new JsonObject { ["minute_reset"] = reset } };
        return new JsonObject
        {
            ["jsonrpc"] = "2.0", ["id"] = id?.DeepClone(), ["error"] = new JsonObject { ["code"] = code, ["message"] = Message, ["data"] = data },
        };
    }
}

public sealed record RpcRequest(JsonNode? Id, string Method, IReadOnlyDictionary<string, JsonElement> Params)
{
    public static RpcRequest Parse(string body)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(body) as JsonObject ?? throw RpcError.Of("invalid_request", "The request is not a JSON object.");
        }
        catch (JsonException)
        {
            throw RpcError.Of("invalid_request", "The request is not JSON.");
        }
        if ((string?)root["jsonrpc"] != "2.0" || root["id"] is null || root["method"] is not JsonValue)
            throw RpcError.Of("invalid_request", "jsonrpc \"2.0\", id and method are required.");
        var parameters = root["params"] is JsonObject p
            ? JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(p.ToJsonString())!
            : new Dictionary<string, JsonElement>();
        return new RpcRequest(root["id"], (string)root["method"]!, parameters);
    }

    public string? Text(string name) => Params.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public void OnlyKeys(params string[] allowed)
    {
        var unexpected = Params.Keys.Where(k => !allowed.Contains(k)).ToList();
        if (unexpected.Count > 0) throw RpcError.Of("unexpected_parameters", $"Unexpected parameters: {string.Join(", ", unexpected)}", unexpected[0]);
    }

    public string Required(string name) => Text(name) is { Length: > 0 } value ? value : throw RpcError.Of("required_parameter_missed", $"{name} is required", name);
}
