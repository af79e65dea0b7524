// SQLiteCpp's Database served by a forked child (which opens it: Database has no
// default constructor), called from the parent through its generated proxy:
// statements, counters, the Header plain aggregate (with a C array field), an
// enum argument, and SQLite::Exception from the child.
#include <doctest/doctest.h>

#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "corpus_support.hpp"
#include "sqlitecpp.hpp"
#include "sqlitecpp.remote.hpp"

using SQLite::Database;

namespace {

corpus::Served<Database> served_database(const char* filename) {
    return corpus::Served<Database>(
        "sqlite-db",
        [filename] { return std::make_unique<Database>(filename, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE); },
        [](Database& db) { return db.getTotalChanges(); });
}

}  // namespace

TEST_CASE("SQLiteCpp Database: statements run in the child, their counts come back") {
    auto served = served_database("corpus.db");
    auto db = served.proxy();
    CHECK(db.getFilename() == "corpus.db");
    CHECK(db.exec("CREATE TABLE test (id INTEGER PRIMARY KEY, value TEXT)") == 0);
    CHECK(db.tableExists("test"));                             // const char* overload
    CHECK(db.tableExists(std::string("test")));                // const std::string& overload
    CHECK_FALSE(db.tableExists("other"));
    CHECK(db.exec(std::string("INSERT INTO test VALUES (NULL, \"first\")")) == 1);
    CHECK(db.exec("INSERT INTO test VALUES (NULL, \"second\"); INSERT INTO test VALUES (NULL, \"third\")") == 1);
    CHECK(db.getLastInsertRowid() == 3);
    CHECK(db.getChanges() == 1);
    CHECK(db.getTotalChanges() == 3);
    db.setBusyTimeout(250);
    db.key("secret");
    db.rekey("");
    db.backup("corpus-backup.db", Database::Save);             // an enum nested in the class
    CHECK(served.join() == 3);
}

TEST_CASE("SQLiteCpp Database: a failed statement throws in the caller, and the error stays readable") {
    auto served = served_database(":memory:");
    auto db = served.proxy();
    CHECK_THROWS_WITH(db.exec("DROP TABLE missing"), doctest::Contains("no such table: missing"));
    CHECK(db.getErrorCode() == 1);
    CHECK(db.getErrorMsg() == std::optional<std::string>("no such table: missing"));  // a const char* result: null or a string
    CHECK(db.tryExec("SELEKT 1") == 1);                         // noexcept: the code, no throw
    CHECK(db.tryExec("CREATE TABLE t (x)") == SQLite::OK);
    CHECK_THROWS_WITH(db.loadExtension("ext.so", nullptr), doctest::Contains("extension loading is off: ext.so"));
    CHECK_NOTHROW(db.check(SQLite::OK));
    CHECK_THROWS(db.check(5));
    CHECK(served.join() == 0);
}

TEST_CASE("SQLiteCpp Database: getHeaderInfo's Header, a plain aggregate with a C array, crosses by value") {
    auto served = served_database("header.db");
    auto db = served.proxy();
    const SQLite::Header h = db.getHeaderInfo();
    CHECK(std::memcmp(h.headerStr, "SQLite format 3", 16) == 0);   // unsigned char[16]
    CHECK(h.pageSizeBytes == 4096);
    CHECK(h.fileFormatWriteVersion == 1);
    CHECK(h.maxEmbeddedPayloadFrac == 64);
    CHECK(h.databaseSizePages == std::strlen("header.db"));
    CHECK(h.sqliteVersion == static_cast<unsigned long>(SQLite::VERSION_NUMBER));
    CHECK(served.join() == 0);
}
