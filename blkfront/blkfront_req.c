/*
 * blkfront/blkfront_req.c - pure request logic: what may be sent, how a
 * large request is cut into ring requests and their segments, whether
 * the backend's geometry is believable. No I/O here; host unit tests
 * build this file as is.
 */
#include <errno.h>
#include "blkfront/blkfront.h"

/* is_pow2 - v is a power of two (and not 0). */
static int is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

int blkfront_check(const struct blkfront_info *info, int op, uint64_t offset,
		   uintptr_t buf, size_t len)
{
	uint64_t size = info->sectors * BF_SECTOR;
	uint64_t ss = info->sector_size;

	if (op == BLKFRONT_FLUSH) {
		if (info->readonly)
			return -EROFS;
		return info->flush == BLKFRONT_FLUSH_NONE ? -EOPNOTSUPP : 0;
	}
	if (op != BLKFRONT_READ && op != BLKFRONT_WRITE)
		return -EINVAL;
	if (!len || !ss || offset % ss || len % ss || buf % ss)
		return -EINVAL;
	if (offset > size || len > size - offset)
		return -EINVAL;
	if (op == BLKFRONT_WRITE && info->readonly)
		return -EROFS;
	return 0;
}

size_t blkfront_chunk(size_t len, size_t done, unsigned int max_segs)
{
	size_t left = len > done ? len - done : 0;
	size_t most = (size_t)max_segs * BF_PAGE;

	return left < most ? left : most;
}

unsigned int blkfront_fill_segs(size_t bytes, const gnttab_ref_t *refs,
				unsigned int max_segs,
				struct blkif_request_segment *segs)
{
	unsigned int n = 0;

	if (!bytes || bytes % BF_SECTOR || bytes > (size_t)max_segs * BF_PAGE)
		return 0;
	for (size_t at = 0; at < bytes; at += BF_PAGE, n++) {
		size_t here = bytes - at < BF_PAGE ? bytes - at : BF_PAGE;

		segs[n].gref = refs[n];
		segs[n].first_sect = 0;
		segs[n].last_sect = (uint8_t)(here / BF_SECTOR - 1);
	}
	return n;
}

const char *blkfront_geometry_bad(struct blkfront_info *info)
{
	uint32_t ss = info->sector_size;

	if (!is_pow2(ss) || ss < 512 || ss > 4096)
		return "sector-size is not a power of two in 512..4096";
	if (info->sectors > BF_MAX_SECTORS)
		return "sectors is absurdly large";
	if ((info->sectors * BF_SECTOR) % ss)
		return "the size is not a whole number of sectors";
	if (!info->physical_sector_size)
		info->physical_sector_size = ss;
	if (!is_pow2(info->physical_sector_size) ||
	    info->physical_sector_size < ss ||
	    info->physical_sector_size > (1u << 20))
		return "physical-sector-size is not a power-of-two multiple of sector-size";
	return NULL;
}
