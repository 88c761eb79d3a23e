namespace BuildingBlocks.Uis;

/// <summary>The three notification templates of the setup guide (uis-protocol.md §1), as the account owner pastes them into UIS.</summary>
public static class SetupGuide
{
    public const string IncomingCallTemplate = """
        event=call_start
        &direction={{direction}}
        &line_number={{virtual_phone_number}}
        &client_number={{contact_phone_number}}
        &call_hash={{call_session_id}}
        """;

    public const string OutgoingCallTemplate = """
        event=call_start
        &direction={{direction}}
        &line_number={{virtual_phone_number}}
        &client_number={{contact_phone_number}}
        &extension={{employee_phone_number}}
        &call_hash={{call_session_id}}
        """;

    public const string CallEndTemplate = """
        event=call_end
        &line_number={{virtual_phone_number}}
        &client_number={{contact_phone_number}}
        &extension={{employee_phone_number}}
        &call_hash={{call_session_id}}
        &direction={{direction}}
        &talk_time_duration={{talk_time_duration}}
        &record_links={{record_file_links}}
        """;
}

/// <summary>Where an answer to UIS leaves its reason for the setup diagnostics (<c>HttpContext.Items</c>).</summary>
public static class UisAnswer
{
    public const string ReasonKey = "uis-answer-reason";
}
