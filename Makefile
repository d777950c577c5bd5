# roosterd: plain Makefile. Everything builds into build/.
#   make            daemon, CLI, solver library
#   make test       unit + integration tests (installs Debian deps when missing)
#   make SAN=1 test the same with ASan+UBSan
#   make demo       build, start the daemon on a temp socket, solve a fixture, print it
#   make bench      benchmarks (figures, not assertions)
PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
BUILD ?= build
PKGS := libuv msgpack sqlite3 jansson libical
CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter -Isolver -Idaemon -Iclients/librooster
CFLAGS += $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lglpk -lm -lpthread
ifeq ($(SAN),1)
BUILD := build/san
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

SOLVER_SRC := $(wildcard solver/*.c)
DAEMON_SRC := $(filter-out daemon/main.c,$(wildcard daemon/*.c))
CLIENT_SRC := $(wildcard clients/librooster/*.c)
CLI_SRC := $(wildcard clients/rooster/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)

SOLVER_OBJ := $(SOLVER_SRC:%.c=$(BUILD)/obj/%.o)
DAEMON_OBJ := $(DAEMON_SRC:%.c=$(BUILD)/obj/%.o)
CLIENT_OBJ := $(CLIENT_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all test unit integration demo bench install clean deps fuzz
all: $(BUILD)/roosterd $(BUILD)/rooster $(BUILD)/libroostersolver.a $(BUILD)/pm_run

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libroostersolver.a: $(SOLVER_OBJ)
	@rm -f $@
	ar rcs $@ $^
$(BUILD)/libroosterd.a: $(DAEMON_OBJ)
	@rm -f $@
	ar rcs $@ $^
$(BUILD)/librooster.a: $(CLIENT_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/roosterd: $(BUILD)/obj/daemon/main.o $(BUILD)/libroosterd.a $(BUILD)/libroostersolver.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/rooster: $(CLI_OBJ) $(BUILD)/librooster.a $(BUILD)/libroostersolver.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libroosterd.a $(BUILD)/librooster.a $(BUILD)/libroostersolver.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -MT $@ -MF $@.d -Itests/unit $(LDFLAGS) -o $@ $< $(BUILD)/libroosterd.a $(BUILD)/librooster.a $(BUILD)/libroostersolver.a $(LDLIBS) -lcmocka

deps:
	@scripts/install-deps --check || scripts/install-deps

unit: all $(UNIT_BIN)
	@scripts/run-unit $(BUILD)/tests

integration: all
	@ROOSTER_BUILD=$(BUILD) /usr/bin/python3 tests/integration/run.py

# The whole suite: unit tests, integration tests, and both again under
# ASan+UBSan (skip that last pass with SAN_PASS=0).
# The build runs on every core; the tests one at a time (some measure how a
# solve ends on the clock).
SAN_PASS ?= 1
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
test: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all $(UNIT_BIN)
	@$(MAKE) --no-print-directory unit integration
ifneq ($(SAN),1)
ifeq ($(SAN_PASS),1)
	@$(MAKE) --no-print-directory -j$(JOBS) SAN=1 all $(UNIT_SRC:tests/unit/%.c=build/san/tests/%)
	@$(MAKE) --no-print-directory SAN=1 unit integration
endif
endif

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo $(BUILD)

bench: deps
	@$(MAKE) --no-print-directory all
	@scripts/bench $(BUILD)

fuzz:
	@scripts/fuzz

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/lib/systemd/system \
		$(DESTDIR)$(PREFIX)/lib/sysusers.d $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/man/man8
	install -m 0755 $(BUILD)/rooster $(DESTDIR)$(PREFIX)/bin/rooster
	install -m 0755 $(BUILD)/roosterd $(DESTDIR)$(PREFIX)/sbin/roosterd
	sed 's|@SBINDIR@|$(PREFIX)/sbin|' systemd/roosterd.service > $(DESTDIR)$(PREFIX)/lib/systemd/system/roosterd.service
	install -m 0644 systemd/roosterd.socket $(DESTDIR)$(PREFIX)/lib/systemd/system/roosterd.socket
	install -m 0644 systemd/roosterd.sysusers $(DESTDIR)$(PREFIX)/lib/sysusers.d/roosterd.conf
	install -m 0644 docs/rooster.1 $(DESTDIR)$(PREFIX)/share/man/man1/rooster.1
	install -m 0644 docs/roosterd.8 $(DESTDIR)$(PREFIX)/share/man/man8/roosterd.8
	install -d $(DESTDIR)/etc/roosterd
	[ -e $(DESTDIR)/etc/roosterd/roosterd.conf ] || install -m 0644 docs/roosterd.conf.example $(DESTDIR)/etc/roosterd/roosterd.conf

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
-include $(wildcard $(BUILD)/tests/*.d)

# developer's tool: the timetable solver in-process with its log (bench/tt_run.c)
$(BUILD)/tt_run: bench/tt_run.c $(BUILD)/librooster.a $(BUILD)/libroostersolver.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# developer's and benchmarks' tool: the placement matcher in-process (bench/pm_run.c)
$(BUILD)/pm_run: bench/pm_run.c $(BUILD)/librooster.a $(BUILD)/libroostersolver.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
