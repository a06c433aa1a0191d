// The emulator's JSON reader and writer (json_text.hpp) against nlohmann's: same values, same text, same errors.
// In-process, unlike the other emulator tests: the point is byte-for-byte equality on inputs HTTP rarely carries.
#include "tests/emulator/json_text.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <random>

using hubsync::emulator::append_json_member;
using hubsync::emulator::parse_json;
using nlohmann::json;
using ojson = nlohmann::ordered_json;

namespace {
// operator== treats 1, 1u and 1.0 as equal; the emulator prints them differently, so types must match too.
bool
same_value(const json& a, const json& b)
{
    if (a.type() != b.type()) return false;
    if (a.is_object()) {
        if (a.size() != b.size()) return false;
        for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j)
            if (i.key() != j.key() || !same_value(*i, *j)) return false;
        return true;
    }
    if (a.is_array()) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!same_value(a[i], b[i])) return false;
        return true;
    }
    if (a.is_number_float()) {
        const double x = a.get<double>(), y = b.get<double>();
        return std::memcmp(&x, &y, sizeof x) == 0;
    }
    return a == b;
}

// "value" or "error: <nlohmann's message>"
std::string
outcome(const std::function<json()>& parse, json& out)
{
    try {
        out = parse();
        return "value";
    } catch (const std::exception& e) {
        return std::string("error: ") + e.what();
    }
}

void
check_parse(const std::string& text)
{
    json expected, actual;
    const auto want = outcome([&] { return json::parse(text); }, expected);
    const auto got = outcome([&] { return parse_json(text); }, actual);
    INFO("input: " << text);
    REQUIRE(got == want);
    if (want == "value") CHECK(same_value(actual, expected));
}

const char* const tricky[] = {
    "", "a", "\"", "\\", "/", "\b\f\n\r\t", "\x01\x1f\x7f", "caf\xc3\xa9",
    "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xc3", "\xc0\xaf", "\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80",
    "\xff", "M\xc3\xbcller@example.com",
};
}  // namespace

TEST_CASE("parse_json reads what nlohmann reads, into the same value", "[emulator][json]")
{
    for (const char* text :
         {R"({"inputs":[{"idProperty":"email","id":"a@b.co","properties":{"firstname":"A","n":5}}]})", "[]", "{}",
          " \t\r\n{ \"a\" : [ 1 , -2 , 3.5 , true , false , null ] } ", "0", "-0", "1e5", "1E+5", "-1.5e-3",
          "18446744073709551615", "18446744073709551616", "-9223372036854775808", "-9223372036854775809",
          "123456789012345678901234567890", "2.5e-324", R"("\u00e9\ud83d\ude00\/\b\f\n\r\t\"\\")",
          R"({"a":1,"a":{"b":2}})", R"({"a":{"b":2},"a":1})", "\"caf\xc3\xa9\""})
        check_parse(text);
}

TEST_CASE("parse_json on malformed or odd input: nlohmann's outcome and message", "[emulator][json]")
{
    for (const char* text :
         {"", " ", "{", "[1,]", "{\"a\":}", "{\"a\" 1}", "{a:1}", "01", "1.", ".5", "1e", "-", "+1", "tru", "nul",
          "True", "[1 2]", "{} {}", R"("\u12")", R"("\uZZZZ")", R"("\ud800")", R"("\ud800\u0041")", R"("\udc00")",
          R"("\q")", "\"a", "\"\x01\"", "\"\xc3\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"", "1e999", "-1e999",
          "// comment\n1", "\xef\xbb", "\xef\xbb\xbf", "\xef\xbb\xbf[1]"})
        check_parse(text);
    check_parse(std::string(300, '[') + std::string(300, ']'));  // beyond the reader's depth: nlohmann's
    check_parse(std::string(300, '[') + std::string(299, ']'));
}

TEST_CASE("parse_json agrees with nlohmann on random fragments", "[emulator][json]")
{
    const char* atoms[] = {"{", "}", "[", "]", ",", ":", "\"", "\"k\"", R"("\u00e9")", R"("\ud83d")", "0", "-0", "01",
                           "1.5", "1e", "-", "true", "nul", " ", "\n", "\xc3\xa9", "\xc3", "1e400", "\"\x01\""};
    std::mt19937 rng(20261127);
    for (int i = 0; i < 20000; ++i) {
        std::string text;
        for (int n = 1 + static_cast<int>(rng() % 8); n > 0; --n) text += atoms[rng() % std::size(atoms)];
        check_parse(text);
    }
}

TEST_CASE("append_json_member writes ,\"key\":\"value\" as ojson::dump would", "[emulator][json]")
{
    for (const char* key : tricky) {
        for (const char* value : {"x", "q\"uote", "\xc3\xa9", "\xc3"}) {
            std::string expected, actual;
            try {
                ojson o = ojson::object();
                o[key] = value;
                const auto text = o.dump();
                expected = "," + text.substr(1, text.size() - 2);
            } catch (const std::exception& e) {
                expected = std::string("error: ") + e.what();
            }
            try {
                append_json_member(actual, true, key, value);
            } catch (const std::exception& e) {
                actual = std::string("error: ") + e.what();
            }
            INFO("key: " << key << " value: " << value);
            CHECK(actual == expected);
        }
    }
    std::string out;
    append_json_member(out, false, std::string(600, 'k'), "v");  // longer than the one-append buffer
    CHECK(out == "\"" + std::string(600, 'k') + "\":\"v\"");
}

namespace {
using hubsync::emulator::read_batch_inputs;
using hubsync::emulator::text_input;

// What the batch handlers read from a parsed input, for the value kinds read_batch_inputs accepts
// (scalar_to_string: strings as they are, booleans printed, null empty).
std::string
scalar_text(const json& v)
{
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    return {};
}

// read_batch_inputs either gives up or reads exactly what the handlers read from nlohmann's value.
void
check_batch_reading(const std::string& text, bool must_read)
{
    INFO(text);
    std::vector<text_input> got;
    const bool read = read_batch_inputs(text, got, 100);
    if (must_read) CHECK(read);
    if (!read) return;
    json parsed;
    REQUIRE_NOTHROW(parsed = json::parse(text));
    const auto& inputs = parsed["inputs"];
    REQUIRE(inputs.is_array());
    REQUIRE(inputs.size() == got.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        const auto& in = inputs[i];
        const auto trace = in.find("objectWriteTraceId");
        CHECK(got[i].trace == (trace != in.end() && trace->is_string() ? trace->get<std::string>() : ""));
        CHECK(got[i].id == (in.contains("id") ? scalar_text(in["id"]) : ""));
        CHECK(got[i].id_property.has_value() == in.contains("idProperty"));
        if (got[i].id_property) CHECK(*got[i].id_property == in["idProperty"].get<std::string>());
        std::vector<std::pair<std::string, std::string>> props;
        if (in.contains("properties"))
            for (const auto& [k, v] : in["properties"].items()) props.emplace_back(k, scalar_text(v));
        CHECK(got[i].properties == props);
    }
}
}  // namespace

TEST_CASE("read_batch_inputs reads batch bodies as the handlers read nlohmann's value, or gives up",
          "[emulator][json]")
{
    // The usual shapes: read.
    for (const std::string text : {
             R"({"inputs":[{"properties":{"email":"a@x.com","firstname":"A"}}]})",
             R"( { "inputs" : [ { "id" : "1" , "idProperty" : "email" , "properties" : { "b" : "2" , "a" : "1" } } ] } )",
             R"({"inputs":[{"idProperty":"email","id":"x@y.com","properties":{"z":null,"y":true,"x":false}}],"other":[1,{"a":2.5}]})",
             R"({"inputs":[{"properties":{"n\u00e4me":"\ud83d\ude00 \"q\" \\ \/ \n\t","name":"caf\u00e9"},"objectWriteTraceId":"t1"},{"objectWriteTraceId":7,"x":[{}]}]})",
             "{\"inputs\":[{\"properties\":{\"a\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"},\"id\":true}]}",
             R"({"inputs":[{}]})",
             R"({"inputs":[{"id":null,"properties":{}}]})",
         })
        check_batch_reading(text, true);
    // Anything unusual is left to parse_json (false), never misread.
    for (const std::string text : {
             R"({"inputs":[]})", R"({"inputs":{}})", R"({})", R"([])", R"({"inputs":[1]})",
             R"({"inputs":[{"properties":{"a":"1","a":"2"}}]})", R"({"inputs":[{"id":"1","id":"2"}]})",
             R"({"inputs":[{"properties":{"a":1}}]})", R"({"inputs":[{"properties":{"a":{"b":1}}}]})",
             R"({"inputs":[{"properties":null}]})", R"({"inputs":[{"id":5}]})", R"({"inputs":[{"idProperty":5}]})",
             R"({"inputs":[{"properties":{"a":"1"}}],"inputs":[]})", R"({"inputs":[{"properties":{"a":"1"}}]} x)",
             R"({"inputs":[{"properties":{"a":"1"}}],})", R"({"inputs":[{"properties":{"a":"1",}}]})",
             R"({"inputs":[{"properties":{"a":tru}}]})", R"({"inputs":[{"properties":{"a":"\x"}}]})",
             "{\"inputs\":[{\"properties\":{\"a\":\"\xff\"}}]}", "{\"inputs\":[{\"properties\":{\"a\":\"\x01\"}}]}",
             "\xef\xbb\xbf{\"inputs\":[{}]}", R"({"inputs":[{"properties":{"a":"\ud800"}}]})",
             R"({"inputs":[{"id":"1",}]})", R"({"inputs":[{},]})", R"({"inputs":[{"id":"1" "x":1}]})",
             R"({"inputs":[{"properties":{"a":"1" "b":"2"}}]})", R"({"x":1 "inputs":[{}]})",
         })
        check_batch_reading(text, false);
    // More than max_inputs: given up (the handler answers 400).
    std::string many = R"({"inputs":[)";
    for (int i = 0; i < 101; ++i) many += std::string(i ? "," : "") + "{}";
    many += "]}";
    std::vector<text_input> got;
    CHECK(!read_batch_inputs(many, got, 100));

    // Random bodies built from pieces that are sometimes odd: whatever is read must be what nlohmann reads.
    std::mt19937 rng(20261127);
    const std::vector<std::string> keys{"\"a\"", "\"b\"", "\"email\"", "\"\\u0061\"", "\"properties\"", "\"id\"",
                                        "\"idProperty\"", "\"objectWriteTraceId\"", "\"zz\""};
    const std::vector<std::string> values{"\"x\"", "\"\"", "true", "false", "null", "1", "\"\\n\"", "[]", "{}",
                                          "\"caf\xc3\xa9\"", "\"\\u00e9\"", "1.5", "\"a\\\"b\""};
    auto pick = [&](const std::vector<std::string>& from) { return from[rng() % from.size()]; };
    for (int round = 0; round < 3000; ++round) {
        std::string text = R"({"inputs":[)";
        const int n = 1 + static_cast<int>(rng() % 3);
        for (int i = 0; i < n; ++i) {
            text += i ? "," : "";
            text += "{";
            const int members = static_cast<int>(rng() % 4);
            for (int m = 0; m < members; ++m) {
                text += m ? "," : "";
                const auto key = pick(keys);
                text += key + ":";
                if (key == "\"properties\"" && rng() % 4) {
                    text += "{";
                    const int props = static_cast<int>(rng() % 4);
                    for (int k = 0; k < props; ++k) text += (k ? "," : "") + pick(keys) + ":" + pick(values);
                    text += "}";
                } else {
                    text += pick(values);
                }
            }
            text += "}";
        }
        text += "]}";
        // Half of them damaged at one place: a byte dropped or a structural one added.
        if (rng() % 2) {
            const auto at = rng() % text.size();
            if (rng() % 2) text.erase(at, 1);
            else text.insert(at, 1, ",:{}[]\"\\ "[rng() % 9]);
        }
        check_batch_reading(text, false);
    }
}

TEST_CASE("append_json_member agrees with ojson::dump on random longer strings", "[emulator][json]")
{
    // Lengths past 8 bytes, so the word-at-a-time check sees special bytes at every position.
    std::mt19937 rng(7);
    const std::vector<std::string> pieces{"a", "Z", "0", " ", "~", "\x7f", "\"", "\\", "\x01", "\x1f", "\n", "\t",
                                          "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xc3", "\x80", "\xff"};
    for (int round = 0; round < 20000; ++round) {
        std::string key, value;
        const int plain_run = static_cast<int>(rng() % 24);
        for (int i = 0; i < plain_run; ++i) value += static_cast<char>('a' + rng() % 26);
        const int odd = static_cast<int>(rng() % 3);
        for (int i = 0; i < odd; ++i)
            value.insert(rng() % (value.size() + 1), pieces[rng() % pieces.size()]);
        key = rng() % 2 ? "name_" + std::to_string(round) : value;
        std::string expected, actual;
        try {
            ojson o = ojson::object();
            o[key] = value;
            const auto text = o.dump();
            expected = "," + text.substr(1, text.size() - 2);
        } catch (const std::exception& e) {
            expected = std::string("error: ") + e.what();
        }
        try {
            append_json_member(actual, true, key, value);
        } catch (const std::exception& e) {
            actual = std::string("error: ") + e.what();
        }
        INFO(value);
        REQUIRE(actual == expected);
    }
}
