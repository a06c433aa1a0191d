#include "tests/emulator/catalog.hpp"

namespace hubsync::emulator {

namespace {
enum flags : unsigned {
    none = 0,
    unique = 1u << 0,
    read_only = 1u << 1,   // modificationMetadata.readOnlyValue
    calculated = 1u << 2,
    lower = 1u << 3,
    hidden = 1u << 4,
};

property_def
builtin(const std::string& name, const std::string& label, const std::string& type, const std::string& field_type,
        const std::string& group, unsigned f = none, std::vector<std::pair<std::string, std::string>> options = {})
{
    property_def p = make_property(name, label, type, field_type, group);
    p.hubspot_defined = true;
    p.has_unique_value = (f & unique) != 0;
    p.read_only_value = (f & (read_only | calculated)) != 0;
    p.read_only_definition = true;
    p.calculated = (f & calculated) != 0;
    p.lowercase = (f & lower) != 0;
    p.hidden = (f & hidden) != 0;
    p.archivable = false;
    p.form_field = !p.read_only_value;
    int order = 0;
    for (auto& [value, olabel] : options) p.options.push_back({olabel, value, "", order++, false});
    return p;
}

std::vector<std::pair<std::string, std::string>>
lifecycle_stages()
{
    return {{"subscriber", "Subscriber"},
            {"lead", "Lead"},
            {"marketingqualifiedlead", "Marketing Qualified Lead"},
            {"salesqualifiedlead", "Sales Qualified Lead"},
            {"opportunity", "Opportunity"},
            {"customer", "Customer"},
            {"evangelist", "Evangelist"},
            {"other", "Other"}};
}

void
add_common(object_type& t, const std::string& group, bool contact_naming)
{
    t.add_property(builtin("hs_object_id", "Record ID", "number", "number", group, read_only));
    t.add_property(builtin("createdate", "Create Date", "datetime", "date", group, read_only));
    t.created_property = "createdate";
    if (contact_naming) {
        t.add_property(builtin("lastmodifieddate", "Last Modified Date", "datetime", "date", group, read_only));
        t.modified_property = "lastmodifieddate";
    } else {
        t.add_property(builtin("hs_lastmodifieddate", "Last Modified Date", "datetime", "date", group, read_only));
        t.modified_property = "hs_lastmodifieddate";
    }
}

std::unique_ptr<object_type>
contacts()
{
    auto t = std::make_unique<object_type>();
    t->id = "0-1";
    t->name = "contacts";
    t->singular_name = "contact";
    t->label_singular = "Contact";
    t->label_plural = "Contacts";
    t->error_name = "CONTACT";
    t->fully_qualified_name = "contacts";
    t->scope_family = "contacts";
    const std::string g = "contactinformation";
    t->add_property(builtin("email", "Email", "string", "text", g, unique | lower));
    t->add_property(builtin("firstname", "First Name", "string", "text", g));
    t->add_property(builtin("lastname", "Last Name", "string", "text", g));
    t->add_property(builtin("phone", "Phone Number", "string", "phonenumber", g));
    t->add_property(builtin("mobilephone", "Mobile Phone Number", "string", "phonenumber", g));
    t->add_property(builtin("company", "Company Name", "string", "text", g));
    t->add_property(builtin("jobtitle", "Job Title", "string", "text", g));
    t->add_property(builtin("website", "Website URL", "string", "text", g));
    t->add_property(builtin("address", "Street Address", "string", "text", g));
    t->add_property(builtin("city", "City", "string", "text", g));
    t->add_property(builtin("state", "State/Region", "string", "text", g));
    t->add_property(builtin("zip", "Postal Code", "string", "text", g));
    t->add_property(builtin("country", "Country/Region", "string", "text", g));
    t->add_property(builtin("lifecyclestage", "Lifecycle Stage", "enumeration", "radio", g, none, lifecycle_stages()));
    t->add_property(builtin("hs_lead_status", "Lead Status", "enumeration", "radio", g, none,
                            {{"NEW", "New"},
                             {"OPEN", "Open"},
                             {"IN_PROGRESS", "In Progress"},
                             {"OPEN_DEAL", "Open Deal"},
                             {"UNQUALIFIED", "Unqualified"},
                             {"ATTEMPTED_TO_CONTACT", "Attempted to Contact"},
                             {"CONNECTED", "Connected"},
                             {"BAD_TIMING", "Bad Timing"}}));
    t->add_property(builtin("hs_buying_role", "Buying Role", "enumeration", "checkbox", g, none,
                            {{"BUDGET_HOLDER", "Budget Holder"},
                             {"CHAMPION", "Champion"},
                             {"DECISION_MAKER", "Decision Maker"},
                             {"END_USER", "End User"},
                             {"EXECUTIVE_SPONSOR", "Executive Sponsor"},
                             {"INFLUENCER", "Influencer"},
                             {"LEGAL_AND_COMPLIANCE", "Legal and Compliance"},
                             {"OTHER", "Other"}}));
    t->add_property(builtin("num_associated_deals", "Number of Associated Deals", "number", "number",
                            "deal_information", calculated));
    add_common(*t, g, true);
    t->default_properties = {"createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"};
    t->query_properties = {"firstname", "lastname", "email", "phone", "mobilephone", "company"};
    return t;
}

std::unique_ptr<object_type>
companies()
{
    auto t = std::make_unique<object_type>();
    t->id = "0-2";
    t->name = "companies";
    t->singular_name = "company";
    t->label_singular = "Company";
    t->label_plural = "Companies";
    t->error_name = "COMPANY";
    t->fully_qualified_name = "companies";
    t->scope_family = "companies";
    const std::string g = "companyinformation";
    t->add_property(builtin("name", "Company name", "string", "text", g));
    // Not unique: HubSpot's API does not deduplicate companies by domain on create (hubspot-api.md §9.4).
    t->add_property(builtin("domain", "Company Domain Name", "string", "text", g));
    t->add_property(builtin("website", "Website URL", "string", "text", g));
    t->add_property(builtin("phone", "Phone Number", "string", "phonenumber", g));
    t->add_property(builtin("industry", "Industry", "enumeration", "select", g, none,
                            {{"ACCOUNTING", "Accounting"},
                             {"AIRLINES_AVIATION", "Airlines/Aviation"},
                             {"APPAREL_FASHION", "Apparel & Fashion"},
                             {"AUTOMOTIVE", "Automotive"},
                             {"BANKING", "Banking"},
                             {"BIOTECHNOLOGY", "Biotechnology"},
                             {"BROADCAST_MEDIA", "Broadcast Media"},
                             {"CHEMICALS", "Chemicals"},
                             {"COMPUTER_HARDWARE", "Computer Hardware"},
                             {"COMPUTER_SOFTWARE", "Computer Software"},
                             {"CONSTRUCTION", "Construction"},
                             {"CONSUMER_GOODS", "Consumer Goods"},
                             {"EDUCATION_MANAGEMENT", "Education Management"},
                             {"FINANCIAL_SERVICES", "Financial Services"},
                             {"FOOD_BEVERAGES", "Food & Beverages"},
                             {"HOSPITAL_HEALTH_CARE", "Hospital & Health Care"},
                             {"INFORMATION_TECHNOLOGY_AND_SERVICES", "Information Technology and Services"},
                             {"INSURANCE", "Insurance"},
                             {"INTERNET", "Internet"},
                             {"LOGISTICS_AND_SUPPLY_CHAIN", "Logistics and Supply Chain"},
                             {"MANAGEMENT_CONSULTING", "Management Consulting"},
                             {"MARKETING_AND_ADVERTISING", "Marketing and Advertising"},
                             {"REAL_ESTATE", "Real Estate"},
                             {"RETAIL", "Retail"},
                             {"TELECOMMUNICATIONS", "Telecommunications"}}));
    t->add_property(builtin("numberofemployees", "Number of Employees", "number", "number", g));
    t->add_property(builtin("annualrevenue", "Annual Revenue", "number", "number", g));
    t->add_property(builtin("description", "Description", "string", "textarea", g));
    t->add_property(builtin("address", "Street Address", "string", "text", g));
    t->add_property(builtin("city", "City", "string", "text", g));
    t->add_property(builtin("state", "State/Region", "string", "text", g));
    t->add_property(builtin("zip", "Postal Code", "string", "text", g));
    t->add_property(builtin("country", "Country/Region", "string", "text", g));
    t->add_property(builtin("lifecyclestage", "Lifecycle Stage", "enumeration", "radio", g, none, lifecycle_stages()));
    t->add_property(builtin("num_associated_contacts", "Number of Associated Contacts", "number", "number", g,
                            calculated));
    t->add_property(builtin("num_associated_deals", "Number of Associated Deals", "number", "number", g, calculated));
    add_common(*t, g, false);
    t->default_properties = {"createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"};
    t->query_properties = {"name", "domain", "website", "phone"};
    return t;
}

std::unique_ptr<object_type>
deals()
{
    auto t = std::make_unique<object_type>();
    t->id = "0-3";
    t->name = "deals";
    t->singular_name = "deal";
    t->label_singular = "Deal";
    t->label_plural = "Deals";
    t->error_name = "DEAL";
    t->fully_qualified_name = "deals";
    t->scope_family = "deals";
    const std::string g = "dealinformation";
    t->add_property(builtin("dealname", "Deal Name", "string", "text", g));
    t->add_property(builtin("amount", "Amount", "number", "number", g));
    t->add_property(builtin("dealstage", "Deal Stage", "enumeration", "radio", g, none,
                            {{"appointmentscheduled", "Appointment Scheduled"},
                             {"qualifiedtobuy", "Qualified To Buy"},
                             {"presentationscheduled", "Presentation Scheduled"},
                             {"decisionmakerboughtin", "Decision Maker Bought-In"},
                             {"contractsent", "Contract Sent"},
                             {"closedwon", "Closed Won"},
                             {"closedlost", "Closed Lost"}}));
    t->add_property(builtin("pipeline", "Pipeline", "enumeration", "select", g, none, {{"default", "Sales Pipeline"}}));
    t->add_property(builtin("closedate", "Close Date", "date", "date", g));
    t->add_property(builtin("dealtype", "Deal Type", "enumeration", "radio", g, none,
                            {{"newbusiness", "New Business"}, {"existingbusiness", "Existing Business"}}));
    t->add_property(builtin("description", "Deal Description", "string", "textarea", g));
    t->add_property(builtin("num_associated_contacts", "Number of Associated Contacts", "number", "number", g,
                            calculated));
    add_common(*t, g, false);
    t->default_properties = {"amount",   "closedate",           "createdate",   "dealname",
                             "dealstage", "hs_lastmodifieddate", "hs_object_id", "pipeline"};
    t->query_properties = {"dealname", "description"};
    t->required_properties = {"dealname", "dealstage"};
    t->create_defaults = {{"pipeline", "default"}};
    return t;
}

std::unique_ptr<object_type>
tickets()
{
    auto t = std::make_unique<object_type>();
    t->id = "0-5";
    t->name = "tickets";
    t->singular_name = "ticket";
    t->label_singular = "Ticket";
    t->label_plural = "Tickets";
    t->error_name = "TICKET";
    t->fully_qualified_name = "tickets";
    t->scope_family = "tickets";
    const std::string g = "ticketinformation";
    t->add_property(builtin("subject", "Ticket name", "string", "text", g));
    t->add_property(builtin("content", "Ticket description", "string", "textarea", g));
    t->add_property(builtin("hs_pipeline", "Pipeline", "enumeration", "select", g, none, {{"0", "Support Pipeline"}}));
    t->add_property(builtin("hs_pipeline_stage", "Ticket status", "enumeration", "select", g, none,
                            {{"1", "New"}, {"2", "Waiting on contact"}, {"3", "Waiting on us"}, {"4", "Closed"}}));
    t->add_property(builtin("hs_ticket_priority", "Priority", "enumeration", "select", g, none,
                            {{"LOW", "Low"}, {"MEDIUM", "Medium"}, {"HIGH", "High"}, {"URGENT", "Urgent"}}));
    t->add_property(builtin("hs_ticket_category", "Category", "enumeration", "checkbox", g, none,
                            {{"PRODUCT_ISSUE", "Product issue"},
                             {"BILLING_ISSUE", "Billing issue"},
                             {"FEATURE_REQUEST", "Feature request"},
                             {"GENERAL_INQUIRY", "General inquiry"}}));
    add_common(*t, g, false);
    t->default_properties = {"content",           "createdate",         "hs_lastmodifieddate", "hs_object_id",
                             "hs_pipeline",       "hs_pipeline_stage",  "hs_ticket_category",  "hs_ticket_priority",
                             "subject"};
    t->query_properties = {"subject", "content"};
    t->required_properties = {"subject", "hs_pipeline_stage"};
    t->create_defaults = {{"hs_pipeline", "0"}};
    return t;
}

std::vector<std::string>
crm_alternatives(const std::string& family, const char* access)
{
    return {"crm.objects." + family + "." + access, "crm.objects." + family + ".sensitive." + access + ".v2",
            "crm.objects." + family + ".highly_sensitive." + access + ".v2"};
}
}  // namespace

property_def
make_property(std::string name, std::string label, std::string type, std::string field_type, std::string group)
{
    property_def p;
    p.name = std::move(name);
    p.label = std::move(label);
    p.type = std::move(type);
    p.field_type = std::move(field_type);
    p.group_name = std::move(group);
    p.form_field = true;
    return p;
}

void
add_custom_object_defaults(object_type& t)
{
    t.add_property(builtin("hs_object_id", "Record ID", "number", "number", "", read_only));
    t.add_property(builtin("hs_createdate", "Object create date/time", "datetime", "date", "", read_only));
    t.add_property(builtin("hs_lastmodifieddate", "Object last modified date/time", "datetime", "date", "", read_only));
    t.created_property = "hs_createdate";
    t.modified_property = "hs_lastmodifieddate";
}

std::vector<std::unique_ptr<object_type>>
standard_object_types()
{
    std::vector<std::unique_ptr<object_type>> out;
    out.push_back(contacts());
    out.push_back(companies());
    out.push_back(deals());
    out.push_back(tickets());
    return out;
}

std::vector<property_def>
default_event_properties()
{
    static const char* const strings[][2] = {
        {"hs_asset_description", "Asset description"}, {"hs_asset_type", "Asset type"},
        {"hs_asset_url", "Asset URL"},                 {"hs_browser", "Browser"},
        {"hs_campaign_id", "Campaign ID"},             {"hs_city", "City"},
        {"hs_country", "Country"},                     {"hs_device_name", "Device name"},
        {"hs_device_type", "Device type"},             {"hs_element_class", "Element class"},
        {"hs_element_id", "Element ID"},               {"hs_element_text", "Element text"},
        {"hs_language", "Language"},                   {"hs_link_href", "Link href"},
        {"hs_operating_system", "Operating system"},   {"hs_operating_version", "Operating system version"},
        {"hs_page_content_type", "Page content type"}, {"hs_page_id", "Page ID"},
        {"hs_page_title", "Page title"},               {"hs_page_url", "Page URL"},
        {"hs_parent_module_id", "Parent module ID"},   {"hs_referrer", "Referrer"},
        {"hs_region", "Region"},                       {"hs_touchpoint_source", "Touchpoint source"},
        {"hs_tracking_name", "Tracking name"},         {"hs_user_agent", "User agent"},
        {"hs_utm_campaign", "UTM campaign"},           {"hs_utm_content", "UTM content"},
        {"hs_utm_medium", "UTM medium"},               {"hs_utm_source", "UTM source"},
        {"hs_utm_term", "UTM term"},
    };
    std::vector<property_def> out;
    for (const auto& [name, label] : strings) out.push_back(builtin(name, label, "string", "text", "event"));
    out.push_back(builtin("hs_screen_height", "Screen height", "number", "number", "event"));
    out.push_back(builtin("hs_screen_width", "Screen width", "number", "number", "event"));
    for (auto& p : out) {
        // Occurrences set them: unlike CRM built-ins they are writable.
        p.read_only_value = false;
        p.form_field = false;
    }
    return out;
}

const std::set<std::string>&
all_scopes()
{
    static const std::set<std::string> scopes = {
        "oauth",
        "crm.objects.contacts.read",
        "crm.objects.contacts.write",
        "crm.objects.companies.read",
        "crm.objects.companies.write",
        "crm.objects.deals.read",
        "crm.objects.deals.write",
        "tickets",
        "crm.objects.custom.read",
        "crm.objects.custom.write",
        "crm.schemas.contacts.read",
        "crm.schemas.contacts.write",
        "crm.schemas.companies.read",
        "crm.schemas.companies.write",
        "crm.schemas.deals.read",
        "crm.schemas.deals.write",
        "crm.schemas.tickets.read",
        "crm.schemas.tickets.write",
        "crm.schemas.custom.read",
        "crm.schemas.custom.write",
        "crm.lists.read",
        "crm.lists.write",
        "analytics.behavioral_events.send",
        "behavioral_events.event_definitions.read_write",
    };
    return scopes;
}

std::vector<std::string>
object_scopes(const object_type& t, bool write)
{
    if (t.scope_family == "tickets") return {"tickets", "tickets.sensitive.v2", "tickets.highly_sensitive.v2"};
    return crm_alternatives(t.scope_family, write ? "write" : "read");
}

std::vector<std::string>
property_scopes(const object_type& t, bool write)
{
    std::vector<std::string> out{"crm.schemas." + t.scope_family + (write ? ".write" : ".read")};
    if (!write)
        for (auto& s : object_scopes(t, false)) out.push_back(s);
    return out;
}

std::vector<std::string>
schema_scopes(bool write)
{
    return {write ? "crm.schemas.custom.write" : "crm.schemas.custom.read"};
}

std::vector<std::string>
event_send_scopes()
{
    return {"analytics.behavioral_events.send"};
}

std::vector<std::string>
event_definition_scopes()
{
    return {"behavioral_events.event_definitions.read_write"};
}

}  // namespace hubsync::emulator
