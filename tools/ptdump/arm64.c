// SPDX-License-Identifier: GPL-2.0
/*
 * ptdump's arm64 view, when the module says VMLAB_ARCH_ARM64: the detail
 * bits of an entry (vmlab_pte.arch_flags) and how --explain splits an
 * address: no canonical rule as on x86, but two halves, each translated
 * from a table base register of its own (TTBR0_EL1 user, TTBR1_EL1 kernel).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ptdump.h"

static const struct bit_name arm64_bits[] = {
	{ VMLAB_ARM64_AF, "AF" },	  { VMLAB_ARM64_DBM, "DBM" },
	{ VMLAB_ARM64_RDONLY, "RDONLY" }, { VMLAB_ARM64_SW_DIRTY, "SWDIRTY" },
	{ VMLAB_ARM64_CONT, "CONT" },	  { VMLAB_ARM64_PXN, "PXN" },
	{ VMLAB_ARM64_UXN, "UXN" },	  { VMLAB_ARM64_NG, "nG" },
};

void ptdump_arm64_detail(uint32_t af, char *buf, size_t len)
{
	static const char *const sh[] = { "non", "?", "outer", "inner" };
	size_t n;

	ptdump_bit_names(arm64_bits, sizeof(arm64_bits) / sizeof(arm64_bits[0]),
			 af, buf, len);
	n = strnlen(buf, len);
	if (n < len)
		snprintf(
			buf + n, len - n, "%sAttrIndx=%u SH=%s", n ? " " : "",
			(af & VMLAB_ARM64_ATTRINDX_MASK) >>
				VMLAB_ARM64_ATTRINDX_SHIFT,
			sh[(af & VMLAB_ARM64_SH_MASK) >> VMLAB_ARM64_SH_SHIFT]);
}

void ptdump_arm64_layout(struct vl_doc *doc, struct libscols_table *layout,
			 const struct target *t, uint64_t va)
{
	/* Linux's names of the levels, top down (those folded are skipped) */
	static const char *const names[] = { "PGD", "P4D", "PUD", "PMD",
					     "PTE" };
	int ps = t->page_shift, per = ps - 3, bits = 0, i;
	const char *half;
	char name[32];

	while (bits < 63 && (1ULL << bits) < t->user_top)
		bits++;
	half = va < t->user_top	     ? "TTBR0_EL1, the user half" :
	       va >= 0 - t->user_top ? "TTBR1_EL1, the kernel half" :
				       "neither half: a translation fault";
	vl_doc_text(
		doc,
		"arm64, %d KiB pages, %d-level translation, %d-bit virtual addresses:\n"
		"  bits 63..%d all 0: the user half 0x0-0x%016" PRIx64
		", translated from TTBR0_EL1\n"
		"  bits 63..%d all 1: the kernel half 0x%016" PRIx64
		"-0xffffffffffffffff, from TTBR1_EL1\n"
		"  this address: %s\n",
		1 << (ps - 10), t->levels, bits, bits, t->user_top - 1, bits,
		0 - t->user_top, half);
	for (i = 0; i < t->levels; i++) {
		int shift = ps + per * (t->levels - 1 - i);
		int last = i ? shift + per - 1 : bits - 1;
		unsigned int index =
			(unsigned int)((va >> shift) &
				       ((1ULL << (last - shift + 1)) - 1));

		snprintf(name, sizeof(name), "%s (level %d)",
			 i ? names[5 - t->levels + i] : names[0],
			 4 - t->levels + i);
		vl_doc_text(doc, "  %-13s bits %2d..%2d  index %3u\n", name,
			    last, shift, index);
		ptdump_layout_row(layout, t->levels, name, last, shift, index);
	}
	vl_doc_text(doc, "  %-13s bits %2d.. 0  0x%03" PRIx64 "\n", "offset",
		    ps - 1, va & ((UINT64_C(1) << ps) - 1));
	ptdump_layout_row(layout, t->levels, "offset", ps - 1, 0,
			  va & ((1ULL << ps) - 1));
	vl_doc_text(
		doc,
		"  (user addresses may carry a tag in bits 63..56: loads and stores ignore the top byte, TBI)\n");
}
