#!/usr/bin/perl
# The end of make check: every step's TAP file in DIR, counted through
# TAP::Parser. A step expected but without its file (its rule did not run,
# or a step it needs failed) or whose plan does not match its tests counts
# as a failure. Prints each step's counts, each lane's, and last the line
# "N passed, N failed[, N skipped]". Exits 1 if anything failed.
#
# usage: check-summary.pl DIR STEP...
use strict;
use warnings;
use TAP::Parser;

my ($dir, @steps) = @ARGV;
my ($passed, $failed, $skipped) = (0, 0, 0);
my %lane;
print "\n== summary\n";
for my $step (@steps) {
	my $file = "$dir/$step.tap";
	my ($p, $f, $s) = (0, 0, 0);
	my $note = '';
	if (!-e $file) {
		$f = 1;
		$note = ' (no result: the step did not run, or a step it needs failed)';
	} else {
		my $parser = TAP::Parser->new({ source => $file });
		while (my $r = $parser->next) {
			next unless $r->is_test;
			if ($r->has_skip) { $s++ }
			elsif ($r->is_ok) { $p++ }
			else { $f++ }
		}
		if (!$parser->plan || $parser->tests_planned != $parser->tests_run) {
			$f++;
			$note = sprintf(' (broken plan: %s, %d tests ran)',
				$parser->plan || 'none', $parser->tests_run);
		}
	}
	printf "# %-22s %d passed, %d failed, %d skipped%s\n", "$step:", $p, $f, $s, $note;
	print "not ok - $step: no result file\n" if $note =~ /no result/;
	if ($step =~ /^(?:module|lane)-(.+)$/) {
		$lane{$1}[0] += $p; $lane{$1}[1] += $f; $lane{$1}[2] += $s;
	}
	$passed += $p; $failed += $f; $skipped += $s;
}
for my $l (sort keys %lane) {
	printf "# lane %-17s %d passed, %d failed, %d skipped\n", "$l:", @{ $lane{$l} };
}
if (open(my $t, '<', "$dir/started")) {
	my $started = <$t>;
	printf "# make check took %d s\n", time - $started;
	if (open(my $o, '>', "$dir/seconds")) {
		print $o time - $started, "\n";
	}
}
print "\n";
my $line = "$passed passed, $failed failed";
$line .= ", $skipped skipped" if $skipped;
print "$line\n";
exit($failed ? 1 : 0);
