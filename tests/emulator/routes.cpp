// Every path the emulator serves. Both families of hubspot-api.md §0.2 (v3/v4 and the dated 2026-03 versions) and
// the aliases of §8 item 1 lead to the same handlers.
#include "tests/emulator/emulator.hpp"
#include "tests/emulator/handlers.hpp"

namespace hubsync::emulator {

void
emulator::register_routes(api::router& r)
{
    for (const std::string base : {"/crm/v3/objects", "/crm/objects/2026-03"}) {
        add(r, "GET", base + "/{objectType}", access::bearer, list_objects);
        add(r, "POST", base + "/{objectType}", access::bearer, create_object);
        add(r, "POST", base + "/{objectType}/search", access::search, search_objects);
        add(r, "GET", base + "/{objectType}/{objectId}", access::bearer, get_object);
        add(r, "PATCH", base + "/{objectType}/{objectId}", access::bearer, update_object);
        add(r, "DELETE", base + "/{objectType}/{objectId}", access::bearer, archive_object);
        add(r, "POST", base + "/{objectType}/batch/create", access::bearer, batch_create, prepare_batch_create);
        add(r, "POST", base + "/{objectType}/batch/read", access::bearer, batch_read);
        add(r, "POST", base + "/{objectType}/batch/update", access::bearer, batch_update, prepare_batch_update);
        add(r, "POST", base + "/{objectType}/batch/upsert", access::bearer, batch_upsert, prepare_batch_upsert);
        add(r, "POST", base + "/{objectType}/batch/archive", access::bearer, batch_archive);
    }
    for (const std::string base : {"/crm/v3/properties", "/crm/properties/2026-03"}) {
        add(r, "GET", base + "/{objectType}", access::bearer, list_properties);
        add(r, "POST", base + "/{objectType}", access::bearer, create_property);
        add(r, "GET", base + "/{objectType}/{propertyName}", access::bearer, get_property);
        add(r, "DELETE", base + "/{objectType}/{propertyName}", access::bearer, delete_property);
    }
    for (const std::string base :
         {"/crm-object-schemas/v3/schemas", "/crm/v3/schemas", "/crm-object-schemas/2026-03/schemas"}) {
        add(r, "GET", base, access::bearer, list_schemas);
        add(r, "POST", base, access::bearer, create_schema);
        add(r, "GET", base + "/{objectType}", access::bearer, get_schema);
    }
    for (const std::string base : {"/crm/v4/associations", "/crm/associations/2026-03"}) {
        const auto pair = base + "/{fromObjectType}/{toObjectType}";
        add(r, "POST", pair + "/batch/create", access::bearer, association_batch_create);
        add(r, "POST", pair + "/batch/associate/default", access::bearer, association_batch_default);
        add(r, "POST", pair + "/batch/read", access::bearer, association_batch_read);
        add(r, "POST", pair + "/batch/archive", access::bearer, association_batch_archive);
        add(r, "POST", pair + "/batch/labels/archive", access::bearer, association_batch_archive_labels);
    }
    // Labels also under the spec collection's spelling (hubspot-api.md §3.1).
    for (const std::string base : {"/crm/v4/associations", "/crm/associations/v4", "/crm/associations/2026-03"}) {
        const auto labels = base + "/{fromObjectType}/{toObjectType}/labels";
        add(r, "GET", labels, access::bearer, list_association_labels);
        add(r, "POST", labels, access::bearer, create_association_label);
        add(r, "PUT", labels, access::bearer, update_association_label);
        add(r, "DELETE", labels + "/{associationTypeId}", access::bearer, delete_association_label);
    }
    // Literal segments ("search", "object-type-id") come before {listId}: the first matching route wins.
    for (const std::string base : {"/crm/v3/lists", "/crm/lists/2026-03"}) {
        add(r, "POST", base, access::bearer, create_list);
        add(r, "GET", base, access::bearer, get_lists);
        add(r, "POST", base + "/search", access::bearer, search_lists);
        add(r, "GET", base + "/object-type-id/{objectTypeId}/name/{listName}", access::bearer, get_list_by_name);
        add(r, "GET", base + "/{listId}", access::bearer, get_list);
        add(r, "DELETE", base + "/{listId}", access::bearer, delete_list);
        add(r, "PUT", base + "/{listId}/memberships/add", access::bearer, add_list_members);
        add(r, "PUT", base + "/{listId}/memberships/remove", access::bearer, remove_list_members);
        add(r, "PUT", base + "/{listId}/memberships/add-and-remove", access::bearer, add_and_remove_list_members);
        add(r, "GET", base + "/{listId}/memberships", access::bearer, list_memberships);
        add(r, "DELETE", base + "/{listId}/memberships", access::bearer, remove_all_list_members);
    }
    // v1 contact lists were sunset on 2026-04-30 (hubspot-api.md §4.2): every path answers 404.
    for (const std::string method : {"GET", "POST", "PUT", "DELETE"}) {
        std::string path = "/contacts/v1/lists";
        for (const char* segment : {"", "/{a}", "/{b}", "/{c}", "/{d}"}) {
            path += segment;
            add(r, method, path, access::open, legacy_lists_sunset);
        }
    }

    // The dated send path is /events/2026-03/send in the spec but /events/custom/2026-03/send in the docs
    // (hubspot-api.md §0.2, UNCONFIRMED): both are served.
    for (const std::string base : {"/events/v3", "/events/2026-03", "/events/custom/2026-03"}) {
        add(r, "POST", base + "/send", access::bearer, send_event);
        add(r, "POST", base + "/send/batch", access::bearer, send_event_batch);
    }
    for (const std::string base : {"/events/v3/event-definitions", "/events/2026-03/event-definitions"}) {
        add(r, "GET", base, access::bearer, list_event_definitions);
        add(r, "POST", base, access::bearer, create_event_definition);
        add(r, "GET", base + "/{eventName}", access::bearer, get_event_definition);
        add(r, "PATCH", base + "/{eventName}", access::bearer, update_event_definition);
        add(r, "DELETE", base + "/{eventName}", access::bearer, delete_event_definition);
        add(r, "POST", base + "/{eventName}/property", access::bearer, create_event_property);
    }

    add(r, "POST", "/oauth/v1/token", access::open, oauth_token_v1);
    add(r, "POST", "/oauth/v3/token", access::open, oauth_token_v3);
    add(r, "POST", "/oauth/2026-03/token", access::open, oauth_token_v3);
    add(r, "POST", "/oauth/v3/token/introspect", access::open, oauth_introspect);
    add(r, "POST", "/oauth/2026-03/token/introspect", access::open, oauth_introspect);
    add(r, "GET", "/oauth/v1/access-tokens/{token}", access::open, oauth_access_token_info);
    add(r, "GET", "/oauth/v1/refresh-tokens/{token}", access::open, oauth_refresh_token_info);
    add(r, "DELETE", "/oauth/v1/refresh-tokens/{token}", access::open, oauth_delete_refresh_token);
    add(r, "POST", "/oauth/v2/private-apps/get/access-token-info", access::open, private_app_token_info);
    add(r, "GET", "/account-info/v3/details", access::bearer, account_details);
    add(r, "GET", "/account-info/2026-03/details", access::bearer, account_details);

    add(r, "GET", "/__emulator/health", access::admin, admin_health);
    add(r, "POST", "/__emulator/reset", access::admin, admin_reset);
    add(r, "GET", "/__emulator/config", access::admin, admin_get_config);
    add(r, "POST", "/__emulator/config", access::admin, admin_set_config);
    add(r, "POST", "/__emulator/tokens", access::admin, admin_add_token);
    add(r, "POST", "/__emulator/oauth/codes", access::admin, admin_add_auth_code);
    add(r, "POST", "/__emulator/oauth/revoke", access::admin, admin_revoke_refresh_token);
    add(r, "POST", "/__emulator/seed/{objectType}", access::admin, admin_seed);
    add(r, "GET", "/__emulator/state/{objectType}", access::admin, admin_state);
    add(r, "GET", "/__emulator/associations/{fromObjectType}/{toObjectType}", access::admin, admin_associations);
    add(r, "GET", "/__emulator/requests", access::admin, admin_requests);
    add(r, "POST", "/__emulator/requests/reset", access::admin, admin_reset_requests);
    add(r, "POST", "/__emulator/rate-limits/reset", access::admin, admin_reset_rate_limits);
    add(r, "GET", "/__emulator/events", access::admin, admin_events);
}

}  // namespace hubsync::emulator
