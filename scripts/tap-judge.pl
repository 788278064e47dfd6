#!/usr/bin/perl
# Judge a VM suite's TAP port output against the tests expected to run.
#
# usage: tap-judge.pl LABEL PORT-FILE EXPECTED...
#
# PORT-FILE holds, per test program, "# selftest: NAME", its TAP, and
# "# selftest-exit: NAME STATUS", then "VMLAB-SUITE-RC N" (scripts/guest/).
# Each program's TAP goes through TAP::Parser: its plan must be there and
# met (a program that stops early with status 0 runs fewer tests than it
# planned), numbering in order, no failure, and its status 0. Every
# EXPECTED name must have run, nothing else may have, and the suite must
# have finished with a status that agrees with its programs'.
#
# Prints TAP test lines, unnumbered (the caller adds more, then the plan):
# each test of each program as "ok - LABEL: PROGRAM: DESCRIPTION" (skips
# kept), and a "not ok" for each program that broke a rule above. Exits 1
# if anything failed.
use strict;
use warnings;
use TAP::Parser;

my ($label, $port, @expected) = @ARGV;
die "usage: tap-judge.pl LABEL PORT-FILE EXPECTED...\n" unless defined $port;

my (%tap, %status, @order, $suite_rc);
my $cur;
if (open(my $fh, '<', $port)) {
	while (my $line = <$fh>) {
		$line =~ s/\r//g;
		if ($line =~ /^# selftest: (\S+)$/) {
			$cur = $1;
			push @order, $cur unless exists $tap{$cur};
			$tap{$cur} .= '';
		} elsif ($line =~ /^# selftest-exit: (\S+) (\d+)$/) {
			$status{$1} = $2;
			undef $cur;
		} elsif ($line =~ /^VMLAB-SUITE-RC (\d+)$/) {
			$suite_rc = $1;
		} elsif (defined $cur) {
			$tap{$cur} .= $line;
		}
	}
	close $fh;
}

my $failed = 0;
sub result {
	my ($ok, $what) = @_;
	$failed++ unless $ok;
	print(($ok ? 'ok' : 'not ok') . " - $what\n");
}
sub diag { print map { "# $_\n" } split /\n/, $_[0]; }

my %expected = map { $_ => 1 } @expected;
for my $prog (@order) {
	my $parser = TAP::Parser->new({ tap => $tap{$prog} });
	my (@problems, $case_failed, @since);
	while (my $r = $parser->next) {
		# What a test printed before its result: shown when it fails.
		if (!$r->is_test) {
			push @since, $r->as_string unless $r->is_plan || $r->is_version;
			next;
		}
		my $desc = $r->description;
		$desc =~ s/^\s*-?\s*//;
		my $line = "- $label: $prog: $desc";
		if ($r->has_skip) {
			print "ok $line # SKIP " . $r->explanation . "\n";
		} elsif ($r->is_actual_ok && !$r->has_todo) {
			print "ok $line\n";
		} else {
			$failed++;
			$case_failed++;
			print "not ok $line\n";
			diag(join("\n", @since > 12 ? @since[-12 .. -1] : @since)) if @since;
		}
		@since = ();
	}
	if (!$expected{$prog}) {
		push @problems, "ran, but is not one of the expected tests";
	}
	if (!$parser->plan) {
		push @problems, "printed no TAP plan";
	} elsif ($parser->tests_planned != $parser->tests_run) {
		push @problems, sprintf("planned %d tests, ran %d", $parser->tests_planned, $parser->tests_run);
	}
	# Numbering out of order, a second plan...: what a plan check alone misses.
	# (the first: one missing test puts every later one out of sequence)
	my @errors = grep { !/^(Bad plan|No plan found)/ } $parser->parse_errors;
	push @problems, $errors[0] if @errors;
	if (!defined $status{$prog}) {
		push @problems, "never finished (no exit status)";
	} elsif ($status{$prog} != 0 && !$case_failed) {
		push @problems, "exited $status{$prog}";
	}
	if (@problems) {
		result(0, "$label: $prog: " . join('; ', @problems));
		my @tail = (split /\n/, $tap{$prog})[-15 .. -1];
		diag(join("\n", grep { defined } @tail));
	}
}
for my $prog (grep { !exists $tap{$_} } @expected) {
	result(0, "$label: $prog: expected, but did not run");
}
my $bad_programs = grep { ($status{$_} // 1) != 0 } @order;
if (!defined $suite_rc) {
	result(0, "$label: the suite did not finish (no VMLAB-SUITE-RC on the TAP port)");
} elsif (($suite_rc != 0) != ($bad_programs != 0)) {
	result(0, "$label: the suite exited $suite_rc, but $bad_programs of its tests exited non-zero");
}
exit($failed ? 1 : 0);
