#pragma once
// Every endpoint handler: synchronous, O(batch) work on the locked state (search scans one object type, list
// search scans the lists). The
// pipeline (emulator.cpp) has already applied faults, authentication and rate limits.
#include "tests/emulator/call.hpp"

namespace hubsync::emulator {

// objects.cpp — /crm/v3/objects/{objectType}[/{objectId}]
reply list_objects(call& c);
reply create_object(call& c);
reply get_object(call& c);
reply update_object(call& c);
reply archive_object(call& c);

// batch.cpp — /crm/v3/objects/{objectType}/batch/*
reply batch_create(call& c);
reply batch_read(call& c);
reply batch_update(call& c);
reply batch_upsert(call& c);
reply batch_archive(call& c);

// search.cpp — POST /crm/v3/objects/{objectType}/search
reply search_objects(call& c);

// properties.cpp — /crm/v3/properties/{objectType}[/{propertyName}]
reply list_properties(call& c);
reply delete_property(call& c);
reply get_property(call& c);
reply create_property(call& c);

// schemas.cpp — /crm-object-schemas/v3/schemas[/{objectType}]
reply list_schemas(call& c);
reply get_schema(call& c);
reply create_schema(call& c);

// associations.cpp — /crm/v4/associations/{fromObjectType}/{toObjectType}/batch/*
reply association_batch_create(call& c);
reply association_batch_default(call& c);
reply association_batch_read(call& c);
reply association_batch_archive(call& c);
reply association_batch_archive_labels(call& c);

// association_labels.cpp — /crm/v4/associations/{fromObjectType}/{toObjectType}/labels[/{associationTypeId}]
reply list_association_labels(call& c);
reply create_association_label(call& c);
reply update_association_label(call& c);
reply delete_association_label(call& c);

// lists.cpp — /crm/v3/lists (ILS lists) and the sunset /contacts/v1/lists
reply create_list(call& c);
reply get_list(call& c);
reply get_list_by_name(call& c);
reply get_lists(call& c);
reply search_lists(call& c);
reply delete_list(call& c);
reply add_list_members(call& c);
reply remove_list_members(call& c);
reply add_and_remove_list_members(call& c);
reply remove_all_list_members(call& c);
reply list_memberships(call& c);
reply legacy_lists_sunset(call& c);

// event_definitions.cpp — /events/v3/event-definitions[/{eventName}[/property]]
reply list_event_definitions(call& c);
reply get_event_definition(call& c);
reply create_event_definition(call& c);
reply update_event_definition(call& c);
reply delete_event_definition(call& c);
reply create_event_property(call& c);

// events.cpp — /events/v3/send[/batch], and GET /__emulator/events (what was recorded)
reply send_event(call& c);
reply send_event_batch(call& c);
reply admin_events(call& c);

// oauth.cpp — token endpoint, introspection, refresh tokens, private-app token info
reply oauth_token_v1(call& c);
reply oauth_token_v3(call& c);
reply oauth_access_token_info(call& c);
reply oauth_introspect(call& c);
reply oauth_refresh_token_info(call& c);
reply oauth_delete_refresh_token(call& c);
reply private_app_token_info(call& c);

// account.cpp — GET /account-info/v3/details
reply account_details(call& c);

// admin.cpp — /__emulator/*
reply admin_health(call& c);
reply admin_reset(call& c);
reply admin_get_config(call& c);
reply admin_set_config(call& c);
reply admin_add_token(call& c);
reply admin_add_auth_code(call& c);
reply admin_revoke_refresh_token(call& c);
reply admin_seed(call& c);
reply admin_state(call& c);
reply admin_associations(call& c);
reply admin_requests(call& c);
reply admin_reset_requests(call& c);
reply admin_reset_rate_limits(call& c);

}  // namespace hubsync::emulator
